"""What a ticket prints, line by line, whatever it is printed on.

A :class:`TicketLayout` is a ticket already worded in the cashier's language:
a centred header, (left, right) rows and a centred footer. The receipt and the
provisional ticket make one; it becomes fixed-width lines (:meth:`lines`, what
the paper shows), HTML (screen and PDF) or ESC/POS bytes
(:mod:`app.till.printing.escpos`). Pure: no Qt.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape

__all__ = ["RULE", "PrintLine", "Row", "TicketLayout"]


@dataclass(frozen=True, slots=True)
class Row:
    """A label on the left and an amount on the right; both empty is a rule.

    ``strong`` rows (the total, a banner) print bold at double size.
    """

    left: str = ""
    right: str = ""
    strong: bool = False

    @property
    def is_rule(self) -> bool:
        return not self.left and not self.right


RULE = Row()


@dataclass(frozen=True, slots=True)
class PrintLine:
    """One line of paper; a ``big`` line is printed at double width and height."""

    text: str
    big: bool = False


@dataclass(frozen=True, slots=True)
class TicketLayout:
    """A ticket ready to print; ``title`` names it (PDF title and file name)."""

    title: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    footer: tuple[str, ...] = ()

    def translated(self, fn: Callable[[str], str]) -> TicketLayout:
        """The same ticket with ``fn`` applied to every text (e.g. to fit a code page)."""
        return replace(
            self,
            header=tuple(fn(x) for x in self.header),
            rows=tuple(Row(fn(r.left), fn(r.right), r.strong) for r in self.rows),
            footer=tuple(fn(x) for x in self.footer),
        )

    def lines(self, width: int) -> list[PrintLine]:
        """The ticket as lines of at most ``width`` characters (``width // 2`` for a
        big line); long labels wrap, nothing is cut."""
        out = [PrintLine(x) for line in self.header for x in _centred(line, width)]
        for row in self.rows:
            if row.is_rule:
                out.append(PrintLine("-" * width))
            elif row.strong:
                out.extend(PrintLine(x, big=True) for x in _fit(row, width // 2))
            else:
                out.extend(PrintLine(x) for x in _fit(row, width))
        out.extend(PrintLine(x) for line in self.footer for x in _centred(line, width))
        return out

    def to_text(self, width: int) -> str:
        """The ticket as plain fixed-width text (what the paper shows)."""
        text = "\n".join(line.text for line in self.lines(width))
        return text.replace("\u202f", " ").replace("\u00a0", " ")

    def to_html(self) -> str:
        """The ticket as simple HTML for a QTextBrowser or a PDF."""
        parts = ['<div style="font-family: monospace;">']
        for line in self.header:
            parts.append(f'<p align="center" style="margin:0">{escape(line)}</p>')
        parts.append('<table width="100%" cellspacing="0" cellpadding="1">')
        for row in self.rows:
            if row.is_rule:
                parts.append('<tr><td colspan="2"><hr/></td></tr>')
                continue
            style = ' style="font-weight:bold; font-size:large"' if row.strong else ""
            pad = ' style="padding-left:18px"' if row.left.startswith(" ") else ""
            parts.append(
                f"<tr{style}><td{pad}>{escape(row.left.strip())}</td>"
                f'<td align="right">{escape(row.right)}</td></tr>'
            )
        parts.append("</table>")
        for line in self.footer:
            parts.append(f'<p align="center" style="margin:0">{escape(line)}</p>')
        parts.append("</div>")
        return "\n".join(parts)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` over lines of at most ``width``, keeping its indentation."""
    indent = text[: len(text) - len(text.lstrip(" "))]
    if len(indent) >= width // 2:
        indent = ""
    return textwrap.wrap(
        text,
        width,
        initial_indent="",
        subsequent_indent=indent,
        drop_whitespace=True,
        break_on_hyphens=False,
    ) or [""]


def _centred(text: str, width: int) -> list[str]:
    return [x.strip().center(width).rstrip() for x in _wrap(text, width)]


def _fit(row: Row, width: int) -> list[str]:
    """A row on lines of ``width``: the label left, the amount right-aligned on
    the label's last line (or on its own line when both do not fit)."""
    if not row.right:
        return _wrap(row.left, width)
    right = row.right[:width]
    room = width - len(right) - 1
    head = _wrap(row.left, width) if row.left else [""]
    if len(head[-1]) <= room:
        last = head.pop()
        return [*head, f"{last:<{room}} {right}"]
    return [*head, right.rjust(width)]

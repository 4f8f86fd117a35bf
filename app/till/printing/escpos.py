"""A ticket as ESC/POS bytes for a thermal receipt printer (58 mm: 32 columns, 80 mm: 48).

The bytes: initialise, select code page 858 (PC858, Latin-1 with €), the
ticket line by line (the total and banners bold at double size), feed, cut.
Every character is first mapped to one that CP858 has (typographic quotes and
dashes to ASCII, accents dropped when the accented letter is missing, ``?``
as the last resort), so rendering never raises and every line fits the paper.
Pure: no Qt, no I/O.
"""

from __future__ import annotations

import unicodedata

from app.core.ticket_layout import TicketLayout

__all__ = [
    "CODE_PAGE",
    "CUT",
    "DOUBLE_SIZE",
    "ENCODING",
    "INIT",
    "NORMAL_SIZE",
    "printable",
    "render_escpos",
]

ESC, GS = b"\x1b", b"\x1d"
INIT = ESC + b"@"
ENCODING = "cp858"
CODE_PAGE = ESC + b"t" + bytes([19])  # ESC t 19: PC858 (Euro)
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"
DOUBLE_SIZE, NORMAL_SIZE = GS + b"!\x11", GS + b"!\x00"  # GS ! n: width and height x2
FEED = ESC + b"d" + bytes([4])  # print and feed 4 lines: the last line clears the cutter
CUT = GS + b"V\x01"  # partial cut

#: Characters CP858 lacks that have a close ASCII spelling.
_SUBSTITUTES = {
    "\u202f": " ",  # narrow no-break space (French thousands)
    "\u2009": " ",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": ",",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2022": "*",
    "\u2116": "No",
    "\u0152": "OE",
    "\u0153": "oe",
    "\u0178": "Y",
}


def printable(text: str) -> str:
    """``text`` with only characters that CP858 encodes (never raises)."""
    out = []
    for char in text:
        if char in _SUBSTITUTES:
            out.append(_SUBSTITUTES[char])
        elif _encodable(char):
            out.append(char if char.isprintable() else " ")
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append(base if base and all(map(_encodable, base)) else "?")
    return "".join(out)


def _encodable(char: str) -> bool:
    try:
        char.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def render_escpos(layout: TicketLayout, columns: int = 48) -> bytes:
    """The bytes that print ``layout`` on a printer of ``columns`` characters per line."""
    out = bytearray(INIT + CODE_PAGE)
    for line in layout.translated(printable).lines(columns):
        text = line.text.encode(ENCODING)
        if line.big:
            out += BOLD_ON + DOUBLE_SIZE + text + b"\n" + NORMAL_SIZE + BOLD_OFF
        else:
            out += text + b"\n"
    out += FEED + CUT
    return bytes(out)

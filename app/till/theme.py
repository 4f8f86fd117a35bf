"""The till's look: a light theme with strong contrast and thumb-sized controls.

Text is near-black on white or on light tints (WCAG AA and more); category
colours tint the product buttons and mark them with a solid stripe, so the
text stays readable whatever colour the owner picked.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

__all__ = ["STYLE_SHEET", "readable_tint"]

INK = "#111111"
MUTED = "#3d3d3d"
ACCENT = "#0b5cad"  # white text on it: contrast 6.6:1

STYLE_SHEET = f"""
QWidget {{ color: {INK}; background: #ffffff; font-size: 16px; }}
QPushButton {{
    background: #eef1f5; border: 2px solid #9aa5b1; border-radius: 8px;
    padding: 6px 12px; min-height: 48px; font-size: 17px;
}}
QPushButton:pressed {{ background: #cfd8e3; }}
QPushButton:disabled {{ color: #6b6b6b; background: #f4f4f4; border-color: #c8c8c8; }}
QPushButton#payButton, QPushButton#validateButton, QPushButton#newSaleButton {{
    background: {ACCENT}; color: #ffffff; border: none; font-size: 30px; font-weight: 700;
    min-height: 80px;
}}
QPushButton#payButton:disabled {{ background: #9db6d1; color: #ffffff; }}
QPushButton#methodButton {{ font-size: 22px; font-weight: 600; min-height: 72px; }}
QPushButton#quickAmount {{ font-size: 19px; font-weight: 600; min-height: 64px; padding: 4px; }}
QPushButton#quickAmount:checked {{ background: #cfe2f7; border: 3px solid {INK};
    font-weight: 800; text-decoration: underline; }}
QPushButton#searchFilter {{ padding: 6px 10px; }}
QPushButton#searchFilter:checked {{ background: #cfe2f7; border: 3px solid {INK};
    text-decoration: underline; }}
QPushButton#keypadKey {{ font-size: 26px; font-weight: 600; }}
QPushButton#lineAction {{ font-size: 26px; font-weight: 700; min-height: 56px; padding: 0; }}
QPushButton#lineText {{ font-size: 17px; font-weight: 600; min-height: 56px; padding: 4px; }}
QPushButton#categoryButton {{ font-size: 16px; font-weight: 600; min-height: 52px;
    text-align: left; padding-left: 6px; padding-right: 2px; }}
QPushButton#categoryButton:checked {{ border: 3px solid {INK}; border-left-width: 12px;
    font-weight: 800; text-decoration: underline; }}
QPushButton#cashierButton {{ font-size: 24px; min-height: 96px; min-width: 220px; }}
QLabel#totalLabel {{ font-size: 56px; font-weight: 800; }}
QLabel#totalCaption, QLabel#caption {{ font-size: 18px; color: {MUTED}; }}
QLabel#remainingLabel {{ font-size: 52px; font-weight: 800; }}
QLabel#changeLabel {{ font-size: 60px; font-weight: 800; }}
QLabel#tenderedLabel {{
    font-size: 40px; font-weight: 700; border: 2px solid #9aa5b1; border-radius: 8px;
    padding: 4px 12px; background: #f7f9fb;
}}
QLabel#screenTitle {{ font-size: 26px; font-weight: 700; }}
QLabel#tillTitle {{ font-size: 20px; font-weight: 700; }}
QLabel#syncBadge {{
    font-size: 16px; font-weight: 600; padding: 6px 12px; border-radius: 16px;
    border: 2px solid #5f6b76; background: #f1f3f5;
}}
QLabel#syncBadge[mode="relay"] {{ border-color: #1e7b34; background: #e6f4ea; }}
QLabel#syncBadge[mode="lan"] {{ border-color: #8a5a00; background: #fff4dc; }}
QLineEdit {{
    border: 2px solid #9aa5b1; border-radius: 8px; padding: 8px; font-size: 18px;
    min-height: 32px;
}}
QTableView {{ font-size: 18px; border: 1px solid #c0c7cf; gridline-color: #e1e5ea;
    selection-background-color: #cfe2f7; selection-color: {INK}; }}
QHeaderView::section {{ background: #eef1f5; font-size: 15px; padding: 4px; border: none; }}
QTabBar::tab {{
    min-height: 52px; min-width: 96px; padding: 0 16px; font-size: 18px; font-weight: 600;
    border: 2px solid #c0c7cf; border-bottom: none; border-top-left-radius: 8px;
    border-top-right-radius: 8px; margin-right: 4px; background: #eef1f5;
}}
QTabBar::tab:selected {{ background: #ffffff; border-color: {INK}; text-decoration: underline; }}
QWidget#messageBar {{ background: #e8f0fb; border: 2px solid {ACCENT}; border-radius: 8px; }}
QWidget#messageBar[level="warning"] {{ background: #fff4dc; border-color: #8a5a00; }}
QWidget#messageBar[level="error"] {{ background: #fde8e8; border-color: #a61b1b; }}
QPushButton#messageAction, QPushButton#messageClose {{ min-height: 40px; padding: 2px 12px; }}
QLabel#messageText {{ background: transparent; font-size: 18px; font-weight: 600; }}
QLineEdit#countField {{ font-size: 24px; font-weight: 600; min-height: 40px; min-width: 96px; }}
QLineEdit#countField:read-only {{ background: #f1f3f5; }}
QLabel#countUnit {{ font-size: 19px; font-weight: 600; }}
QLabel#countTotal {{ font-size: 26px; font-weight: 800; }}
QLabel#countDifference {{ font-size: 20px; font-weight: 700; }}
QLabel#countDifference[state="ok"] {{ color: #1e7b34; }}
QLabel#countDifference[state="off"] {{ color: #a61b1b; }}
QTextBrowser#receipt {{ font-family: "DejaVu Sans Mono", monospace; font-size: 15px;
    border: 1px solid #c0c7cf; }}
"""


def readable_tint(color: str, strength: float = 0.28) -> QColor:
    """A light tint of ``color`` (mixed with white) that near-black text reads on."""
    base = QColor(color) if QColor.isValidColorName(color) else QColor("#9aa5b1")
    r, g, b = base.red(), base.green(), base.blue()
    mix = [round(255 - (255 - c) * strength) for c in (r, g, b)]
    return QColor(*mix)

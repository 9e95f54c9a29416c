"""The serif font bundled in `ballot/fonts/`, registered with reportlab once per process.

Liberation Serif 2 (SIL OFL 1.1, see ballot/fonts/OFL.txt) covers every Vietnamese letter
and has the metrics of Times New Roman, the font the DOCX asks for, so both documents break
lines alike. Bundling it means a server needs no system fonts to print the minutes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FAMILY = "MinutesSerif"
#: (bold, italic) -> file in FONT_DIR
FILES = {
    (False, False): "LiberationSerif-Regular.ttf",
    (True, False): "LiberationSerif-Bold.ttf",
    (False, True): "LiberationSerif-Italic.ttf",
    (True, True): "LiberationSerif-BoldItalic.ttf",
}
#: The name Word and LibreOffice are asked for in the DOCX.
DOCX_FONT = "Times New Roman"


def face(bold: bool = False, italic: bool = False) -> str:
    """Return the registered reportlab font name for a style of the family."""
    suffix = {
        (False, False): "",
        (True, False): "-Bold",
        (False, True): "-Italic",
        (True, True): "-BoldItalic",
    }[(bold, italic)]
    return FAMILY + suffix


@cache
def register() -> str:
    """Register the four faces and the family (so <b> and <i> work); return the family name."""
    for (bold, italic), filename in FILES.items():
        pdfmetrics.registerFont(TTFont(face(bold, italic), str(FONT_DIR / filename)))
        addMapping(FAMILY, int(bold), int(italic), face(bold, italic))
    return FAMILY


def text_width_mm(text: str, size: float, bold: bool = False) -> float:
    """The printed width of `text` in the bundled font (the DOCX asks for the metric twin)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register()
    return stringWidth(text, face(bold), size) * 25.4 / 72


#: Word pairs a title never breaks between: a title or organ read as one unit ("Ủy viên",
#: "Thường vụ"), and a number with what it counts ("khóa VIII", "lần thứ 17").
_GLUE = {
    ("ủy", "viên"), ("bí", "thư"), ("thường", "vụ"), ("đồng", "chí"), ("đảng", "ủy"),
    ("ban", "thường"), ("ban", "chấp"), ("chấp", "hành"), ("lần", "thứ"), ("hội", "nghị"),
}  # fmt: skip
_GLUE_NEXT = {"khóa", "thứ", "số"}


def _units(words: list[str]) -> list[str]:
    """Join the words a line must not break between (with an ordinary space: the units are
    only kept whole while lines are filled)."""
    out: list[str] = []
    for word in words:
        if out:
            last = out[-1].split()[-1].lower()
            if (last, word.lower()) in _GLUE or last in _GLUE_NEXT:
                out[-1] += " " + word
                continue
        out.append(word)
    return out


def balanced_lines(text: str, size: float, width_mm: float, bold: bool = False) -> tuple[str, ...]:
    """Break `text` into as few lines as fit `width_mm`, of nearly equal length, so that no
    line holds a lone word ("VIII") and both documents break the title at the same places."""
    words = _units(text.split())
    if not words:
        return ()

    def fill(limit: float) -> list[str]:
        lines: list[str] = []
        for word in words:
            trial = f"{lines[-1]} {word}" if lines else word
            if lines and text_width_mm(trial, size, bold) <= limit:
                lines[-1] = trial
            else:
                lines.append(word)
        return lines

    count = len(fill(width_mm))
    low, high = 0.0, width_mm
    for _ in range(30):  # the narrowest measure that still needs no more lines
        middle = (low + high) / 2
        if len(fill(middle)) <= count:
            high = middle
        else:
            low = middle
    return tuple(fill(high))

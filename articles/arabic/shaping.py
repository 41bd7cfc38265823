"""Arabic for drawing libraries: shaped letters in visual order, and line wrapping that respects both.

The charts draw through `label()`. The report PDF no longer comes through here: WeasyPrint sets it
(`articles/charts/pdf.py`), shaping with HarfBuzz and keeping the printed characters, so its text
can be searched and copied; `shape()` and `wrap()` remain for libraries that cannot shape.

reportlab (and matplotlib before 3.11) put code points on the page one after
the other, left to right, with no shaping: Arabic comes out as isolated
letters in the wrong order. Every string the PDF draws goes through
`shape()` first, and every string a chart draws through `label()` (below):

1. arabic-reshaper replaces each letter with its contextual presentation form
   (isolated, initial, medial, final; U+FB50–U+FDFF, U+FE70–U+FEFF) and makes the
   mandatory lam-alef ligatures. This needs LOGICAL order: a letter's form
   depends on its neighbours in reading order.
2. python-bidi (`get_display`) applies the Unicode bidirectional algorithm and
   returns the string in VISUAL order (left to right as drawn): Arabic runs
   reversed, Latin words and digits kept left to right, brackets and
   guillemets mirrored.

Wrapping must happen in logical order, before step 2: a line is a run of
words in reading order, and each line is then shaped and reordered on its
own. (Wrapping a visual-order string would put the paragraph's last words on
its first line.) `wrap()` does that, measuring each word as it will be drawn.

Diacritics are dropped when shaping: reportlab does not position combining
marks, so a shadda or tanween would land on the wrong letter. The archived
text itself is never changed; this is only for drawing.

matplotlib 3.11 and later lay text out with libraqm, which applies the bidi
algorithm itself: given a visual-order string it would reverse the Arabic a
second time. `label()` is the form for matplotlib: shaped as above, and put in
visual order only when the installed matplotlib does not reorder by itself
(`matplotlib_reorders()` asks matplotlib's own layout once). reportlab never
reorders, so the PDF uses `shape()`.

The font: matplotlib's bundled DejaVu Sans maps every Arabic presentation
form that the reshaper produces with this configuration (checked in
`tests/test_shaping.py`), so charts and PDFs need no system font and no
shipped font file.
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import matplotlib
from arabic_reshaper import ArabicReshaper

# python-bidi's pure-Python implementation, not the Rust one that `bidi.get_display`
# wraps: only this one mirrors brackets and guillemets in right-to-left runs
# (rule L4), so that (اليوم) keeps its parentheses facing the word.
from bidi.algorithm import get_display
from matplotlib import ft2font

# Lam-alef ligatures are mandatory in Arabic; the decorative ones (such as the
# single-glyph "Allah", which would also swallow names like عبد الله) are off.
_RESHAPER = ArabicReshaper(
    configuration={
        "delete_harakat": True,
        "support_ligatures": True,
        "ARABIC LIGATURE ALLAH": False,
    }
)

_RTL_CLASSES = {"R", "AL"}
_STRONG_CLASSES = {"L", "R", "AL"}
_WORD = re.compile(r"\S+")
# Digits joined by a hyphen or a plus (an ISO date, a score, a range). After an
# Arabic letter the bidi algorithm treats digits as "Arabic numbers", which a
# hyphen does not join, so 2012-09-30 would come out as 30-09-2012. A
# left-to-right mark in front keeps the run together and left to right; the
# mark itself is taken out again before drawing.
_JOINED_NUMBER = re.compile(r"\d+(?:[-+]\d+)+")
_LRM = "\u200e"
_RLM = "\u200f"


def has_rtl(text):
    """True when `text` holds a right-to-left letter (Arabic, Hebrew...)."""
    return any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text)


def base_direction(text, default="L"):
    """`"R"` or `"L"`: the direction of the first strong letter, as the bidi algorithm decides a paragraph's."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _STRONG_CLASSES:
            return "L" if kind == "L" else "R"
    return default


@lru_cache(maxsize=4096)
def _shape_line(line, base_dir):
    # Pure Latin, digits and punctuation are already in visual order when the
    # paragraph runs left to right. In a right-to-left paragraph neutral
    # characters still need reordering, so the algorithm must see them.
    if base_dir != "R" and not has_rtl(line):
        return line
    protected = _JOINED_NUMBER.sub(lambda m: _LRM + m.group(), line)
    return get_display(_RESHAPER.reshape(protected), base_dir=base_dir).replace(_LRM, "")


def shape(text, *, base_dir=None):
    """`text` (logical order, as stored) ready to draw: shaped, in visual order.

    `base_dir` is the paragraph direction, `"R"` or `"L"`; by default it is the
    direction of the first strong letter. Lines (separated by `\\n`) are
    reordered one by one, as the bidi algorithm treats them as paragraphs.
    """
    if not text:
        return text
    direction = base_dir or base_direction(text)
    return "\n".join(_shape_line(line, direction) for line in text.split("\n"))


@lru_cache(maxsize=1)
def matplotlib_reorders():
    """True when matplotlib's text layout applies the bidi algorithm itself (libraqm, matplotlib 3.11+).

    Asked of matplotlib directly: two Arabic letters laid out by the same code
    its Agg renderer uses; if the second letter comes first, left to right,
    matplotlib reorders.
    """
    font = ft2font.FT2Font(str(font_path()))
    if not hasattr(font, "_layout"):
        return False
    font.set_size(12, 72)
    try:
        items = font._layout("\ufe91\ufe96", ft2font.LoadFlags.NO_HINTING)  # بت, shaped, logical order
    except Exception:  # a private API: if it changes, fall back to the older behaviour
        return False
    return [item.char for item in items][:1] == ["\ufe96"]


@lru_cache(maxsize=4096)
def _label_line(line, base_dir):
    if base_dir != "R" and not has_rtl(line):
        return line
    protected = _JOINED_NUMBER.sub(lambda m: _LRM + m.group(), line)
    if base_dir == "R" and base_direction(line) != "R":
        # The layout engine guesses the direction from the first strong letter; say it.
        protected = _RLM + protected
    return _RESHAPER.reshape(protected)


def label(text, *, base_dir=None):
    """`text` ready for matplotlib: shaped letters, in the order the installed matplotlib wants.

    With matplotlib 3.11+ (libraqm) that is logical order, shaped: matplotlib
    reorders it for display. With an older matplotlib it is `shape(text)`,
    visual order.
    """
    if not text:
        return text
    if not matplotlib_reorders():
        return shape(text, base_dir=base_dir)
    direction = base_dir or base_direction(text)
    return "\n".join(_label_line(line, direction) for line in text.split("\n"))


def wrap(text, width, measure, *, base_dir=None):
    """Break `text` (one paragraph, logical order) into lines at most `width` wide when drawn.

    `measure(drawn_string) -> float` gives the drawn width of a shaped string
    (for example reportlab's `stringWidth` at a font and size). Answers a list
    of `(start, end)` offsets into `text`, one pair a line, in reading order.
    Letters join only inside a word, so a line's drawn width is the sum of its
    shaped words and the spaces between them; each word is shaped and measured
    once. A word wider than a whole line is cut between letters.
    """
    direction = base_dir or base_direction(text)
    space = measure(" ")
    lines = []
    line_start = line_end = None
    used = 0.0
    for match in _WORD.finditer(text):
        start, end = match.span()
        word_width = measure(shape(match.group(), base_dir=direction))
        if line_start is not None and used + space + word_width <= width:
            line_end, used = end, used + space + word_width
            continue
        if line_start is not None:
            lines.append((line_start, line_end))
        if word_width > width:
            pieces = _cut_word(text, start, end, width, measure, direction)
            lines.extend(pieces[:-1])
            (line_start, line_end) = pieces[-1]
            used = measure(shape(text[line_start:line_end], base_dir=direction))
        else:
            line_start, line_end, used = start, end, word_width
    if line_start is not None:
        lines.append((line_start, line_end))
    return lines


def _cut_word(text, start, end, width, measure, direction):
    pieces = []
    piece_start = start
    for i in range(start + 1, end + 1):
        if i - piece_start > 1 and measure(shape(text[piece_start:i], base_dir=direction)) > width:
            pieces.append((piece_start, i - 1))
            piece_start = i - 1
    pieces.append((piece_start, end))
    return pieces


def shape_lines(text, width, measure, *, base_dir=None):
    """`text` wrapped to `width` in logical order, then each line shaped: strings ready to draw, top to bottom."""
    direction = base_dir or base_direction(text)
    return [shape(text[a:b], base_dir=direction) for a, b in wrap(text, width, measure, base_dir=direction)]


def font_path(bold=False):
    """The TrueType file that draws shaped Arabic, Latin and digits: matplotlib's bundled DejaVu Sans.

    It ships inside the matplotlib wheel, so it is there on a fresh machine.
    """
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name

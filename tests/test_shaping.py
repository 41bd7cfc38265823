"""The one helper that makes Arabic drawable: shaped presentation forms, in visual order, wrapped logically."""

import unicodedata

import pytest
from fontTools.ttLib import TTFont

from articles.arabic.shaping import (
    base_direction,
    font_path,
    has_rtl,
    label,
    matplotlib_reorders,
    shape,
    shape_lines,
    wrap,
)


def read_as_drawn_by_matplotlib(text):
    """`text` as a reader sees it once matplotlib's Agg renderer has placed its glyphs.

    Glyphs are taken left to right as matplotlib's own text layout positions
    them, then read right to left (the text is Arabic) and folded back from
    presentation forms to letters.
    """
    from matplotlib._text_helpers import layout
    from matplotlib.ft2font import FT2Font

    font = FT2Font(str(font_path()))
    font.set_size(10, 72)
    placed = sorted(((item.x, item.char) for item in layout(text, font)), key=lambda pair: pair[0])
    left_to_right = "".join(char for _x, char in placed).replace("\u200e", "").replace("\u200f", "")
    return unicodedata.normalize("NFKC", _read_right_to_left(left_to_right))


def _read_right_to_left(drawn):
    # Reverse the whole line, then put runs of digits and Latin back in their own order.
    import re

    return re.sub(r"[0-9A-Za-z][0-9A-Za-z .:-]*[0-9A-Za-z]|[0-9A-Za-z]", lambda m: m.group()[::-1], drawn[::-1])


ARABIC_LETTERS = "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي"


def presentation_forms(text):
    return [ch for ch in text if 0xFE70 <= ord(ch) <= 0xFEFF or 0xFB50 <= ord(ch) <= 0xFDFF]


def logical_letters(text):
    return [ch for ch in text if 0x0600 <= ord(ch) <= 0x06FF]


def test_letters_take_their_joined_forms():
    # كيري: initial kaf, medial yeh, final reh, then an isolated yeh (reh never joins to the left).
    drawn = shape("كيري")
    assert drawn == "\ufef1\ufeae\ufef4\ufedb"
    assert logical_letters(drawn) == []


def test_words_come_out_in_visual_order():
    drawn = shape("جون كيري")
    first, second = drawn.split(" ")
    # The first word read (جون) is drawn at the right end of the line.
    assert unicodedata.normalize("NFKC", second[::-1]) == "جون"
    assert unicodedata.normalize("NFKC", first[::-1]) == "كيري"
    assert len(presentation_forms(drawn)) == 7


def test_mixed_arabic_latin_and_digits_keep_latin_and_numbers_left_to_right():
    drawn = shape("قال John Kerry في 24 آذار 2016")
    assert "John Kerry" in drawn
    assert "2016" in drawn and "24" in drawn
    assert "6102" not in drawn
    # Right to left: the first word read is rightmost, the year (read last) leftmost.
    assert drawn.index("2016") < drawn.index("24") < drawn.index("John Kerry") < drawn.index(shape("قال"))
    assert presentation_forms(drawn)
    assert logical_letters(drawn) == []


def test_arabic_indic_digits_stay_in_reading_order():
    drawn = shape("عام ٢٠١٦")
    assert "٢٠١٦" in drawn
    assert drawn.endswith(shape("عام"))


def test_brackets_are_mirrored_in_right_to_left_text():
    drawn = shape("(اليوم)")
    assert drawn[0] == "(" and drawn[-1] == ")"
    assert unicodedata.normalize("NFKC", drawn[1:-1][::-1]) == "اليوم"


def test_lam_alef_is_one_ligature_and_decorative_ligatures_are_off():
    assert shape("لا") == "\ufefb"
    assert "\ufdf2" not in shape("عبد الله")


def test_latin_text_is_unchanged():
    assert shape("Kerry meets Lavrov (2016)") == "Kerry meets Lavrov (2016)"
    assert shape("") == ""


def test_a_right_to_left_paragraph_keeps_a_leading_latin_word_inside_it():
    drawn = shape("NATO توسع", base_dir="R")
    assert drawn.endswith("NATO")


def test_lines_are_reordered_one_by_one():
    drawn = shape("جون\nكيري")
    top, bottom = drawn.split("\n")
    assert unicodedata.normalize("NFKC", top[::-1]) == "جون"
    assert unicodedata.normalize("NFKC", bottom[::-1]) == "كيري"


def test_direction_detection():
    assert has_rtl("Kerry كيري") and not has_rtl("Kerry 2016")
    assert base_direction("كيري said") == "R"
    assert base_direction("Kerry قال") == "L"
    assert base_direction("2016", default="R") == "R"


@pytest.mark.parametrize("bold", [False, True])
def test_the_font_draws_every_form_the_helper_produces(bold):
    cmap = TTFont(font_path(bold=bold)).getBestCmap()
    # Each letter alone, first, in the middle and last in a word, and the Persian letters.
    samples = [*ARABIC_LETTERS, *(f"{c}ب" for c in ARABIC_LETTERS), *(f"ب{c}ب" for c in ARABIC_LETTERS)]
    samples += [f"ب{c}" for c in ARABIC_LETTERS] + ["پچژگکی", "لا لأ لإ لآ", "٠١٢٣٤٥٦٧٨٩ ،؛؟"]
    missing = {ch for text in samples for ch in shape(text) if ord(ch) not in cmap and not ch.isspace()}
    assert missing == set()


def _width(drawn):
    return float(len(drawn))


def test_wrapping_happens_in_logical_order():
    words = [f"كلمة{i}" for i in range(1, 13)]  # each word is 6 characters wide here
    text = " ".join(words)
    spans = wrap(text, 20, _width)
    lines = [text[a:b] for a, b in spans]
    # Reading order is kept across lines: the first line holds the first words.
    assert lines[0].split() == words[: len(lines[0].split())]
    assert " ".join(lines).split() == words
    assert all(_width(shape(line)) <= 20 for line in lines)
    assert len(lines) == 4


def test_shape_lines_shapes_each_wrapped_line():
    text = "أشاد وزير الخارجية الأميركي جون كيري خلال لقائه الرئيس الروسي"
    lines = shape_lines(text, 25, _width)
    assert len(lines) > 1
    # The first drawn line is the start of the sentence, reordered on its own.
    assert lines[0].endswith(shape("أشاد"))
    assert all(logical_letters(line) == [] for line in lines)


def test_a_word_wider_than_a_line_is_cut():
    url = "https://archive.example.org/articles/123456789/"
    spans = wrap(f"الرابط {url}", 12, _width)
    assert all(b - a <= 12 for a, b in spans)
    assert "".join(f"الرابط {url}"[a:b] for a, b in spans).replace(" ", "") == f"الرابط{url}"


def test_a_hyphenated_date_after_arabic_stays_left_to_right():
    drawn = shape("أعلن 2012-09-30")
    assert drawn == "2012-09-30 " + shape("أعلن")
    assert "\u200e" not in drawn
    assert shape("قال 3+2 اليوم").count("3+2") == 1


def test_matplotlib_labels_are_shaped_and_read_right_to_left_when_drawn():
    for text in ("جون كيري", "سيرغي لافروف", "الأزمة السورية", "أعلن 2012-09-30", "عام 2016"):
        drawn = label(text)
        assert presentation_forms(drawn)
        assert read_as_drawn_by_matplotlib(drawn) == unicodedata.normalize("NFKC", text)


def test_labels_follow_what_matplotlib_does_with_order():
    if matplotlib_reorders():
        # matplotlib (libraqm) reorders itself: the label stays in logical order, shaped.
        assert label("جون كيري") == "\ufe9f\ufeee\ufee5 \ufedb\ufef4\ufeae\ufef1"
    else:
        assert label("جون كيري") == shape("جون كيري")

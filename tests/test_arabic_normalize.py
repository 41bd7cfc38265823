"""Normalisation, its offset map and tokenising (ARABIC.md, "Normalisation")."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.arabic import normalize, normalize_with_map, span_to_original, tokenize


def test_diacritics_and_tatweel_are_dropped():
    assert normalize("مُحَمَّد") == "محمد"
    assert normalize("الـــوزير") == "الوزير"
    assert normalize("قرآنۖ") == "قران"


def test_letter_folding():
    assert normalize("أإآٱ") == "اااا"
    assert normalize("مستشفى") == "مستشفي"
    assert normalize("السورية") == "السوريه"
    assert normalize("مسؤول") == normalize("مسئول") == "مسءول"
    assert normalize("ی ک") == "ي ك"


def test_digits():
    assert normalize("٢٠١٦") == "2016"
    assert normalize("۲۰۱۶") == "2016"


def test_invisible_marks_dropped():
    assert normalize("لا\u200fفروف\u200b") == "لافروف"
    assert normalize("\ufeffكيري\u061c") == "كيري"


def test_nfkc_presentation_forms_and_ligature():
    assert normalize("ﻻ") == "لا"
    assert normalize("ﻛﻴﺮﻱ") == "كيري"
    norm, offsets = normalize_with_map("aﻻb")
    assert norm == "aلاb"
    assert offsets == [0, 1, 1, 2, 3]


def test_map_points_at_text_as_printed():
    text = "قال الأَسَد: نعم"
    norm, offsets = normalize_with_map(text)
    a = norm.index("الاسد")
    b = a + len("الاسد")
    # the slice takes in the vowel marks on the last letter
    assert text[offsets[a] : offsets[b]] == "الأَسَد"
    assert span_to_original(text, offsets, a, b) == (4, 11)


def test_span_end_does_not_run_over_invisible_marks():
    text = "كيري\u200f قال"
    _norm, offsets = normalize_with_map(text)
    assert span_to_original(text, offsets, 0, 4) == (0, 4)


def test_tokens_do_not_split_at_diacritics():
    tokens = tokenize("قال مُحَمَّد: Kerry’s 2016 ٢٠١٦")
    assert [t.norm for t in tokens] == ["قال", "محمد", "kerry", "s", "2016", "2016"]
    assert tokens[1].text == "مُحَمَّد"
    text = "قال مُحَمَّد: Kerry’s 2016 ٢٠١٦"
    for t in tokens:
        assert text[t.start : t.end] == t.text


@settings(deadline=None)  # shared CI machines are slow; correctness, not speed
@given(st.text())
def test_normalize_never_fails(text):
    assert isinstance(normalize(text), str)


@settings(deadline=None)  # shared CI machines are slow; correctness, not speed
@given(st.text())
def test_offset_map_is_monotone_and_lands_in_the_original(text):
    norm, offsets = normalize_with_map(text)
    assert norm == normalize(text)
    assert len(offsets) == len(norm) + 1
    assert offsets[-1] == len(text)
    assert all(a <= b for a, b in itertools.pairwise(offsets))
    assert all(0 <= o < len(text) for o in offsets[:-1])


@settings(deadline=None)  # shared CI machines are slow; correctness, not speed
@given(st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from(" ،.ﻻ\u200f")))
def test_every_normalised_char_comes_from_its_original(text):
    norm, offsets = normalize_with_map(text)
    for i, c in enumerate(norm):
        assert c in normalize(text[offsets[i]])


@settings(deadline=None)  # shared CI machines are slow; correctness, not speed
@given(st.text())
def test_tokens_are_slices_of_the_text(text):
    for t in tokenize(text):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.text


def test_folding_rules_sent_to_the_annotator_are_normalize_one_character_at_a_time():
    """The annotator (JavaScript) applies `folding_rules()` as: NFKC, drop, fold. Same result as normalize()."""
    import unicodedata

    from articles.arabic.normalize import folding_rules

    rules = folding_rules()
    dropped, fold = set(rules["dropped"]), rules["fold"]
    assert set(rules["invisible"]) <= dropped

    def like_the_annotator(char):
        return "".join(fold.get(k, k) for k in unicodedata.normalize("NFKC", char) if k not in dropped)

    scanned = [*range(0x0600, 0x0700), *range(0x06F0, 0x06FA), *range(0x200B, 0x2070), 0xFEFF, *range(0xFE70, 0xFEFF)]
    for codepoint in scanned:
        char = chr(codepoint)
        assert like_the_annotator(char) == normalize(char), hex(codepoint)

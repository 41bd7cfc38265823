"""Latin letters to Arabic spellings (articles/arabic/translit.py), tested on names printed in real Arabic news."""

import pytest

from articles.arabic import EXONYMS, arabic_spellings, is_latin_word, normalize
from articles.arabic.translit import MAX_SPELLINGS

# (as typed in Latin letters, as printed in the reports of tests/realnews and tests/relevance_news)
PRINTED = [
    ("Geneva", "جنيف"),
    ("Vienna", "فيينا"),
    ("Moscow", "موسكو"),
    ("Tehran", "طهران"),
    ("Berlin", "برلين"),
    ("London", "لندن"),
    ("Paris", "باريس"),
    ("Washington", "واشنطن"),
    ("Istanbul", "اسطنبول"),
    ("Lavrov", "لافروف"),
    ("Kerry", "كيري"),
    ("Zarif", "ظريف"),
    ("Hammond", "هاموند"),
    ("Philip", "فيليب"),
    ("Steinmeier", "شتاينماير"),
    ("Mogherini", "موغيريني"),
    ("Netanyahu", "نتنياهو"),
    ("Erdogan", "اردوغان"),
    ("Rouhani", "روحاني"),
    ("Obama", "اوباما"),
    ("Putin", "بوتين"),
    ("Trump", "ترامب"),
    ("Trump", "ترمب"),
    ("Tillerson", "تيلرسون"),
    ("Pompeo", "بومبيو"),
    ("Fabius", "فابيوس"),
    ("Bogdanov", "بوغدانوف"),
    ("Merkel", "ميركل"),
    ("Cameron", "كاميرون"),
    ("Carter", "كارتر"),
    ("Abbas", "عباس"),
    ("Ghassan", "غسان"),
    ("Tammam", "تمام"),
    ("Renzi", "رينزي"),
    ("Mattis", "ماتيس"),
]


@pytest.mark.parametrize("latin, printed", PRINTED)
def test_the_printed_spelling_is_among_the_spellings(latin, printed):
    assert normalize(printed) in arabic_spellings(latin)


def test_how_many_of_the_printed_names_it_reaches():
    """Names it misses, kept honest: Persian and German conventions the rules do not follow."""
    missed = [("Khamenei", "خامنئي"), ("Araghchi", "عراقجي"), ("Juncker", "يونكر"), ("Haley", "هيلي")]
    missed += [("Lausanne", "لوزان")]  # reached, but beyond the first MAX_SPELLINGS
    assert not any(normalize(p) in arabic_spellings(w) for w, p in missed)


def test_exonyms_come_first():
    assert arabic_spellings("Cairo")[0] == "قاهره"
    assert arabic_spellings("Doha")[0] == EXONYMS["doha"][0]


def test_only_latin_words_of_three_letters_or_more():
    assert arabic_spellings("جنيف") == []
    assert arabic_spellings("2016") == []
    assert arabic_spellings("un") == []
    assert is_latin_word("geneva") and not is_latin_word("جنيف") and not is_latin_word("g2")


def test_the_number_of_spellings_is_bounded():
    assert 0 < len(arabic_spellings("Schwarzenegger")) <= MAX_SPELLINGS
    assert len(set(arabic_spellings("Steinmeier"))) == len(arabic_spellings("Steinmeier"))

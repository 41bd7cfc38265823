"""From Latin letters to the Arabic spellings a name may have in print.

Arabic news prints foreign names and places in Arabic letters (``Geneva`` →
``جنيف``, ``Steinmeier`` → ``شتاينماير``, ``Hammond`` → ``هاموند``). A
researcher who types the Latin name should find them before an editor has
recorded the name as an alias. :func:`arabic_spellings` writes out the
spellings the usual conventions of Arabic newsrooms give (normalised as the
index is: ``ة`` → ``ه``, hamza seats folded), and the search looks all of
them up at once: a spelling no report prints costs one index probe and
finds nothing.

The conventions (tested on real names of the news in ``tests/test_arabic_translit.py``):

* consonants have one to three renderings: ``g`` ``ج``/``غ``, ``t`` ``ت``/``ط``,
  ``s`` ``س``/``ص`` (``ز`` between vowels), ``d`` ``د``/``ض``, ``h`` ``ه``/``ح``,
  ``k``/``c``/``q`` ``ك``/``ق``, ``p`` ``ب``, ``v`` ``ف``; digraphs ``sh``/``sch``
  ``ش``, ``kh``/``ch`` ``خ``/``ش``, ``gh`` ``غ``, ``th`` ``ث``/``ت``, ``ph`` ``ف``;
  a doubled letter is written once (``Hammond``);
* vowels inside the word are a long vowel or nothing (``a`` ``ا``, ``e``/``i``
  ``ي``, ``o``/``u`` ``و``), diphthongs ``ei``/``ai``/``ay`` ``اي``/``ي``;
* at the start a vowel is carried by ``ا`` (``او`` for ``o``/``u``); at the end
  ``a`` is ``ا`` or ``ه`` and ``e`` is silent, ``ي`` or ``ه``.

Well-known places whose Arabic name is not a transliteration (``Cairo`` →
``القاهرة``) come from :data:`EXONYMS`.

At most :data:`MAX_SPELLINGS` spellings are produced (the most likely first:
the first rendering of each letter, long vowels before short ones): each is a
lexeme of the query, and PostgreSQL prices a query with a hundred lexemes as
matching half the archive and reads it sequentially.
"""

from __future__ import annotations

import re

from .normalize import normalize

__all__ = ["EXONYMS", "MAX_SPELLINGS", "arabic_spellings", "is_latin_word"]

MAX_SPELLINGS = 24

# Places (and a few peoples) whose Arabic names are not transliterations, normalised, article dropped
EXONYMS = {
    "cairo": ["قاهره"],
    "damascus": ["دمشق"],
    "jerusalem": ["قدس"],
    "aleppo": ["حلب"],
    "beirut": ["بيروت"],
    "baghdad": ["بغداد"],
    "mosul": ["موصل"],
    "riyadh": ["رياض"],
    "jeddah": ["جده"],
    "mecca": ["مكه"],
    "medina": ["مدينه"],
    "doha": ["دوحه"],
    "kuwait": ["كويت"],
    "bahrain": ["بحرين"],
    "oman": ["عمان"],
    "egypt": ["مصر"],
    "syria": ["سوريا", "سوريه"],
    "iraq": ["عراق"],
    "jordan": ["اردن"],
    "lebanon": ["لبنان"],
    "yemen": ["يمن"],
    "libya": ["ليبيا"],
    "sudan": ["سودان"],
    "tunisia": ["تونس"],
    "algeria": ["جزاءر"],
    "morocco": ["مغرب"],
    "palestine": ["فلسطين"],
    "israel": ["اسراءيل"],
    "iran": ["ايران"],
    "turkey": ["تركيا"],
    "russia": ["روسيا"],
    "america": ["امريكا", "اميركا"],
    "britain": ["بريطانيا"],
    "france": ["فرنسا"],
    "germany": ["المانيا"],
    "china": ["صين"],
    "japan": ["يابان"],
    "india": ["هند"],
    "europe": ["اوروبا"],
    "gaza": ["غزه"],
    "saudi": ["سعوديه"],
    "emirates": ["امارات"],
    "qatar": ["قطر"],
    "houthi": ["حوثي"],
    "houthis": ["حوثيين", "حوثيون"],
}

_LATIN_WORD = re.compile(r"[a-z]+")

# Consonants and digraphs, longest first, with their renderings (most usual first)
_CONSONANTS = [
    ("sch", ["ش"]),
    ("sh", ["ش"]),
    ("ch", ["ش", "تش", "خ"]),
    ("kh", ["خ"]),
    ("gh", ["غ"]),
    ("th", ["ث", "ت"]),
    ("ph", ["ف"]),
    ("dh", ["ذ", "ض"]),
    ("ck", ["ك"]),
    ("b", ["ب"]),
    ("c", ["ك"]),
    ("d", ["د", "ض"]),
    ("f", ["ف"]),
    ("g", ["غ", "ج"]),
    ("h", ["ه", "ح"]),
    ("j", ["ج"]),
    ("k", ["ك", "ق"]),
    ("l", ["ل"]),
    ("m", ["م"]),
    ("n", ["ن"]),
    ("p", ["ب"]),
    ("q", ["ق", "ك"]),
    ("r", ["ر"]),
    ("s", ["س", "ص"]),
    ("t", ["ت", "ط"]),
    ("v", ["ف"]),
    ("w", ["و"]),
    ("x", ["كس"]),
    ("y", ["ي"]),
    ("z", ["ز", "ظ"]),
]
_VOWELS = "aeiou"
# Vowels (and diphthongs) inside a word: a long vowel or nothing
_MEDIAL = [
    ("ei", ["اي", "ي"]),
    ("ai", ["اي", "ي"]),
    ("ay", ["اي", "ي"]),
    ("ou", ["و"]),
    ("oo", ["و"]),
    ("ee", ["ي"]),
    ("ie", ["ي", "يي"]),
    ("ia", ["يا", "ي"]),
    ("a", ["ا", ""]),
    ("e", ["ي", ""]),
    ("i", ["ي", ""]),
    ("o", ["و", ""]),
    ("u", ["و", "", "ا"]),
    ("y", ["ي"]),
]
_INITIAL = {"a": ["ا", "ع"], "e": ["ا", "اي"], "i": ["ا", "اي"], "o": ["او", "ا"], "u": ["او", "ا"]}
_FINAL = {"a": ["ا", "ه", ""], "e": ["", "ي", "ه"], "i": ["ي"], "o": ["و"], "u": ["و"], "y": ["ي"]}


def is_latin_word(word: str) -> bool:
    """A normalised query word in Latin letters only (no digits, no Arabic)."""
    return _LATIN_WORD.fullmatch(word) is not None


def _units(word: str) -> list[tuple[str, list[str]]]:
    """The word cut into letters and digraphs, each with its renderings."""
    out: list[tuple[str, list[str]]] = []
    i, n = 0, len(word)
    while i < n:
        if i and word[i] == word[i - 1] and word[i] not in _VOWELS:
            i += 1  # a doubled consonant is written once
            continue
        at_start, rest = i == 0, word[i:]
        if rest[0] in _VOWELS or (rest[0] == "y" and not at_start and i + 1 < n and word[i + 1] not in _VOWELS):
            if at_start:
                out.append((rest[0], _INITIAL[rest[0]]))
                i += 1
                continue
            if len(rest) == 1 or (len(rest) == 2 and rest[1] == "h" and rest[0] in "ae"):
                out.append((rest[0], _FINAL.get(rest[0], [""])))
                i = n
                continue
            for text, renderings in _MEDIAL:
                if rest.startswith(text):
                    if len(text) == len(rest):
                        renderings = _FINAL.get(text[-1], renderings)
                    out.append((text, renderings))
                    i += len(text)
                    break
            continue
        for text, renderings in _CONSONANTS:
            if rest.startswith(text):
                if text == "s" and out and out[-1][0][-1:] in _VOWELS and i + 1 < n and word[i + 1] in _VOWELS:
                    renderings = ["س", "ز"]  # Lausanne -> لوزان
                if text == "w" and not at_start:
                    renderings = ["و", ""]  # Moscow -> موسكو
                if text == "n" and rest[1:2] == "g" and rest[2:3] not in ("", *_VOWELS):
                    out.append(("ng", ["ن"]))  # Washington -> واشنطن
                    i += 2
                    break
                if text == "s" and at_start and rest[1:2] in ("t", "p"):
                    renderings = ["س", "ش"]  # Steinmeier -> شتاينماير
                out.append((text, renderings))
                i += len(text)
                break
        else:
            i += 1  # a letter with no rendering (none in a-z)
    return out


def arabic_spellings(word: str) -> list[str]:
    """Normalised Arabic spellings of a Latin word, the most usual first (empty for non-Latin input)."""
    word = word.lower()
    if not is_latin_word(word) or len(word) < 3:
        return []
    found = list(EXONYMS.get(word, []))
    spellings = [""]
    for _, renderings in _units(word):
        spellings = [s + r for s in spellings for r in renderings][: MAX_SPELLINGS * 4]
    for s in spellings:
        s = normalize(s)
        if len(s) >= 2 and s not in found:
            found.append(s)
        if len(found) >= MAX_SPELLINGS:
            break
    return found

"""Light stemming of normalised Arabic words, for indexing and for queries.

The matching rule
-----------------
Every word is indexed under its exact (normalised) spelling and under its
stripped forms (:func:`stem_forms`). A query word finds a document word when

    ({query exact} | query stems) & ({doc exact} | doc stems) != set()

Exact–exact hits rank first (the caller weighs them). Stems are generated,
never guessed at query time, so index and query always agree.

How forms are made
------------------
Proclitics come off in their order of attachment: ``و``/``ف``, then
``ب``/``ك``/``ل`` (``لل`` is ``ل`` + ``ال``: ``للسلام`` gives ``السلام`` and
``سلام``), then the article ``ال``. Suffixes (pronouns; plural, dual and
nisba endings; feminine ``ه``) come off only once the article is gone, at
most two of them, so ``الأمين`` can never become ``الأم``. A nisba ending may
also give back a known country that ends in ``ا`` or ``ه`` (``الروسي`` →
``روسيا``).

Safeguards (the measured failures of PostgreSQL's Snowball stemmer):

* at least :data:`MIN_STEM` letters remain in every form;
* a ``protected`` word (a name or alias, normalised) is never cut, and when
  a stripped form is protected (``للافروف`` → ``لافروف``) only the forms
  leading to it are kept, so ``افروف`` is never produced;
* :data:`KNOWN_WORDS` (countries and capitals) are protected the same way,
  which is how ``فلسطين`` and ``مصر`` stay whole and ``الفلسطينيين`` reaches
  ``فلسطين``.

Examples::

    >>> stem_forms("والمفاوضات")
    ['المفاوضات', 'مفاوضات', 'مفاوض']
    >>> stem_forms("للافروف", frozenset({"لافروف"}))
    ['لافروف']
    >>> stem_forms("المصري")
    ['مصري', 'مصر']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "CITIES",
    "KNOWN_WORDS",
    "MIN_STEM",
    "derived_forms",
    "PLURAL_SUFFIXES",
    "PRONOUN_SUFFIXES",
    "forms",
    "index_forms",
    "is_arabic_word",
    "stem_forms",
]

MIN_STEM = 3

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ك", "ل")
ARTICLE = "ال"

PRONOUN_SUFFIXES = ("هما", "كما", "هم", "هن", "ها", "كم", "نا", "ه", "ك", "ي")
# plural, dual, nisba and feminine endings, and the alif of accusative tanween (وزيرا)
PLURAL_SUFFIXES = ("يين", "يون", "ين", "ون", "ان", "ات", "يه", "ي", "ه", "ا")
_SUFFIXES = tuple(sorted(set(PRONOUN_SUFFIXES + PLURAL_SUFFIXES), key=len, reverse=True))
_MAX_SUFFIXES = 2

# Cities among the known words: reached only by taking off proclitics (بالرياض, للقاهرة), never by
# cutting an ending, which would turn common words into them (رياضية "sporty", رياضة "sport" -> رياض).
CITIES = frozenset(
    [
        "واشنطن",
        "موسكو",
        "بيروت",
        "دمشق",
        "بغداد",
        "طهران",
        "قاهره",
        "قدس",
        "غزه",
        "جنيف",
        "فيينا",
        "لندن",
        "باريس",
        "برلين",
        "انقره",
        "رياض",
        "دوحه",
        "ابوظبي",
        "بكين",
        "كابول",
        "اسطنبول",
        "حلب",
        "ادلب",
        "موصل",
        "صنعاء",
    ]
)

# Countries, regions and cities, normalised and without the article:
# preferred stopping points that are never cut further. Extend freely.
KNOWN_WORDS = (
    frozenset(
        [
            "فلسطين",
            "لبنان",
            "مصر",
            "ايران",
            "سوريا",
            "سوريه",
            "عراق",
            "اردن",
            "يمن",
            "سودان",
            "ليبيا",
            "تونس",
            "جزاءر",
            "مغرب",
            "سعوديه",
            "قطر",
            "كويت",
            "بحرين",
            "عمان",
            "امارات",
            "تركيا",
            "روسيا",
            "اميركا",
            "امريكا",
            "فرنسا",
            "بريطانيا",
            "المانيا",
            "صين",
            "يابان",
            "هند",
            "باكستان",
            "افغانستان",
            "اسراءيل",
            "اوكرانيا",
            "اوروبا",
            "افريقيا",
            "اسيا",
        ]
    )
    | CITIES
)  # and the cities, above


_ARABIC_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B)) | frozenset(chr(c) for c in range(0x0671, 0x06D4))


_ARABIC_WORD = re.compile("[" + "".join(sorted(_ARABIC_LETTERS)) + "]+")


def is_arabic_word(word: str) -> bool:
    return _ARABIC_WORD.fullmatch(word) is not None


def _hidden_article(form: str) -> bool:
    """A form that still carries the article behind a proclitic (``والامين``).

    Such forms keep their suffixes: cutting ``ين`` off ``والامين`` would give
    ``والام``, another word.
    """
    if form.startswith("لل"):
        return True
    if form[0] in CONJUNCTIONS + PREPOSITIONS and form[1:3] == ARTICLE:
        return True
    return form[0] in CONJUNCTIONS and form[1:2] in PREPOSITIONS and form[2:4] in (ARTICLE, "لل")


def _prefix_children(word: str, stage: int) -> list[tuple[str, int]]:
    """Forms one proclitic shorter than ``word``, with their next stage."""
    out: list[tuple[str, int]] = []
    if stage == 0:
        if word[0] in CONJUNCTIONS and len(word) - 1 >= MIN_STEM:
            out.append((word[1:], 1))
        out.append((word, 1))
    elif stage == 1:
        if word.startswith("لل") and len(word) - 1 >= MIN_STEM:
            out.append((word[1:], 2))  # ل + لافروف
            if len(word) - 2 >= MIN_STEM:
                out.append((ARTICLE + word[2:], 2))  # ل + السلام
        elif word[0] in PREPOSITIONS and len(word) - 1 >= MIN_STEM:
            out.append((word[1:], 2))
        out.append((word, 2))
    return out


def _derive(word: str, protected: frozenset[str]) -> dict[str, set[str]]:
    """All forms reachable from ``word`` with their parents (``word`` → {})."""
    parents: dict[str, set[str]] = {word: set()}
    seen: set[tuple[str, int, int]] = set()
    stack: list[tuple[str, int, int]] = [(word, 0, 0)]
    while stack:
        form, stage, depth = stack.pop()
        if (form, stage, depth) in seen:
            continue
        seen.add((form, stage, depth))
        if form != word and (form in protected or form in KNOWN_WORDS):
            continue  # a known word is a leaf: never cut it
        children: list[tuple[str, int, int]] = []
        if stage < 2:
            children = [(f, s, 0) for f, s in _prefix_children(form, stage)]
        elif stage == 2:
            if form.startswith(ARTICLE):
                if len(form) - 2 >= MIN_STEM:
                    children.append((form[2:], 3, 0))
                # an article that cannot come off leaves the word whole
            elif not _hidden_article(form):
                children.append((form, 3, 0))
        elif depth < _MAX_SUFFIXES:
            for suffix in _SUFFIXES:
                if form.endswith(suffix) and len(form) - len(suffix) >= MIN_STEM:
                    base = form[: -len(suffix)]
                    if base in CITIES and base not in protected:
                        continue  # an ending never leads to a city (see CITIES)
                    children.append((base, 3, depth + 1))
                    if suffix in ("ي", "يه", "ه"):
                        # nisba back to a country spelt with a final ا / ه:
                        # الاميركي -> اميركا, الروسي -> روسيا, السوري -> سوريه
                        stems = (base, form[: -len(suffix) + 1]) if suffix == "يه" else (base,)
                        for stem in (*stems, form):
                            for ending in ("ا", "ه"):
                                country = stem + ending
                                if country != form and (
                                    (country in KNOWN_WORDS and country not in CITIES) or country in protected
                                ):
                                    children.append((country, 3, depth + 1))
        for child, child_stage, child_depth in children:
            if child != form:
                parents.setdefault(child, set()).add(form)
            stack.append((child, child_stage, child_depth))
    return parents


def stem_forms(norm_word: str, protected: Iterable[str] = frozenset()) -> list[str]:
    """The stripped forms of a normalised word (the exact form not included).

    ``protected`` holds normalised names and aliases that must stay whole.
    The list is ordered shortest-strip first and has no duplicates.
    """
    if not isinstance(protected, (set, frozenset)):
        protected = frozenset(protected)
    if len(norm_word) <= MIN_STEM or not is_arabic_word(norm_word):
        return []
    if norm_word in protected or norm_word in KNOWN_WORDS:
        return []
    parents = _derive(norm_word, protected)
    found = [f for f in parents if f != norm_word and len(f) >= MIN_STEM]
    known = [f for f in found if f in protected or f in KNOWN_WORDS]
    if known:
        # keep only the forms on a path from the word to a known word
        keep: set[str] = set()
        todo = list(known)
        while todo:
            f = todo.pop()
            if f in keep or f == norm_word:
                continue
            keep.add(f)
            todo.extend(parents.get(f, ()))
        found = [f for f in found if f in keep]
    # stable order: by how much was stripped, then alphabetically
    return sorted(found, key=lambda f: (len(norm_word) - len(f), f))


def index_forms(norm_word: str, protected: Iterable[str] = frozenset()) -> tuple[str, list[str]]:
    """``(exact, stems)`` for indexing one normalised word."""
    return norm_word, stem_forms(norm_word, protected)


def forms(norm_word: str, protected: Iterable[str] = frozenset()) -> set[str]:
    """The exact form and the stems together, as a set."""
    return {norm_word, *stem_forms(norm_word, protected)}


# Derivation: the reciprocal and participle patterns of one verb family. تفاوض ("negotiating",
# form VI), مفاوضات ("negotiations"), المفاوضين ("the negotiators"), يتفاوض ("negotiates") share
# the stem C1 ا C2 C3 (فاوض) behind a prefix. The bare stem is never produced (it is often
# another word: مصالح -> صالح), only the family's prefixed forms.
_DERIVING_PREFIXES = ("مت", "يت", "تت", "ت", "م", "ي")
_FAMILY = ("ت{}", "م{}", "م{}ه", "م{}ات", "م{}ين", "م{}ون", "مت{}", "يت{}", "ي{}", "تت{}", "ت{}ت", "ت{}ه")


def derived_forms(norm_word: str, protected: Iterable[str] = frozenset()) -> set[str]:
    """Forms of the same verb family as ``norm_word`` (``تفاوض`` -> ``مفاوضات``, ``مفاوضين``, …), for queries.

    Only for a word (or one of its stripped forms) shaped prefix + C ا C C; names are left alone.
    """
    if not isinstance(protected, (set, frozenset)):
        protected = frozenset(protected)
    if norm_word in protected or not is_arabic_word(norm_word):
        return set()
    out: set[str] = set()
    for form in forms(norm_word, protected):
        for prefix in _DERIVING_PREFIXES:
            stem = form[len(prefix) :]
            if form.startswith(prefix) and len(stem) == 4 and stem[1] == "ا" and "ا" not in (stem[0], stem[2], stem[3]):
                out.update(pattern.format(stem) for pattern in _FAMILY)
    out.discard(norm_word)
    return out - forms(norm_word, protected)

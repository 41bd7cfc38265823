"""Finding known names (participants' and places' aliases) in a text.

One Aho–Corasick automaton (pyahocorasick) holds every alias, normalised and
lower-cased; it is built once and reused for every text, so a report costs
about the same with 50,000 aliases as with 10.

Attached letters (ARABIC.md, "Names in text") are generated, not stripped:
an alias may be preceded, inside the same word, by ``و``/``ف`` then
``ب``/``ك``/``ل``; ``ل`` before an alias that starts with ``ال`` is written
``لل…`` (``للأسد``). Only the first word of a multi-word alias takes them,
and aliases of three letters or fewer take none. The reported span covers
the name without the letters attached to it (``لافروف`` in ``للافروف``).

Words must match whole; of overlapping candidates the longest wins
(``سيرغي لافروف`` is one mention, not two). When one span names several
targets (``موسكو`` the city and the state) there is one match per target.
A hashtag's underscore joins a name's words (``#محمود_عباس``), and a word
that changes script is two words (``كيريKerry``). Names that are also
everyday words (``سلامة``, ``صالح``, ``عباس``) need support in the report:
:func:`supported_names`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Iterable
from itertools import accumulate
from typing import NamedTuple

import ahocorasick

from .normalize import fold_case, normalize, span_to_original
from .stem import is_arabic_word
from .tokens import WORD_RE, analyse

__all__ = [
    "COMMON_WORD_NAMES",
    "AliasMatcher",
    "CanonicalText",
    "NameMatch",
    "alias_key",
    "canonical_text",
    "supported_names",
]

MAX_BARE_LETTERS = 3  # aliases this short take no attached letters
MAX_ACRONYM = 5  # a Latin alias in capitals this short is matched in capitals only

_CLITIC_PREFIXES = frozenset(p1 + p2 for p1 in ("", "و", "ف") for p2 in ("", "ب", "ك", "ل"))
_CONJ_PREFIXES = frozenset(("", "و", "ف"))
_NO_PREFIX = frozenset(("",))
# before "ال" the preposition ل is written "لل" (its own key), never "لال"
_ARTICLE_PREFIXES = frozenset(p for p in _CLITIC_PREFIXES if not p.endswith("ل"))
# spaces, hyphens and apostrophes may sit inside a name (O'Brien, Jean-Marc), and
# the underscore of a hashtag (#محمود_عباس); any other character ends it,
# except a lone full stop (U.S.)
_HARD_GAP = re.compile(r"[^\w \t\u00a0\u202f\u2009\-\u2010\u2011'\u2019\u0300-\u036f]")
# a word that changes script is two words: "كيريKerry", "Abbasعباس"
_SCRIPT_CHANGE = re.compile(r"(?<=[\u0600-\u06ff])(?=[A-Za-z])|(?<=[A-Za-z])(?=[\u0600-\u06ff])")


class NameMatch(NamedTuple):
    """A known name at ``[start, end)`` of the original text."""

    start: int
    end: int
    text: str
    target: Hashable


class CanonicalText(NamedTuple):
    """Normalised, lower-cased text with every gap between words one space.

    ``text`` starts and ends with a space; ``starts[i]`` is where word ``i``
    begins in ``text`` and ``words[i]`` its ``(start, end)`` in the normalised
    text; ``hard`` holds the positions of the gaps that are not plain spaces
    (punctuation: a name never runs across them).
    """

    text: str
    starts: list[int]
    words: tuple[tuple[int, int], ...]
    hard: frozenset[int]
    norm: str
    offsets: list[int]

    def to_norm(self, index: int) -> int:
        """The normalised-text index of ``text[index]`` (a gap maps to the end of the word before)."""
        i = bisect.bisect_right(self.starts, index) - 1
        a, b = self.words[i]
        return min(a + index - self.starts[i], b)


def _split_scripts(folded: str, words) -> tuple[tuple[int, int], ...]:
    out = []
    for a, b in words:
        cuts = [m.start() for m in _SCRIPT_CHANGE.finditer(folded, a, b)]
        for x, y in zip([a, *cuts], [*cuts, b], strict=True):
            out.append((x, y))
    return tuple(out)


def canonical_text(original: str) -> CanonicalText:
    info = analyse(original)
    folded, words = info.folded, info.words
    if not folded.isascii() and _SCRIPT_CHANGE.search(folded):
        words = _split_scripts(folded, words)
    text = " " + " ".join([folded[a:b] for a, b in words]) + " "
    # word i starts after the leading space, the words before it and their spaces
    starts = list(accumulate((b - a + 1 for a, b in words[:-1]), initial=1)) if words else []
    hard = set()
    word_starts = [a for a, _ in words]
    if words:
        for m in _HARD_GAP.finditer(folded, words[0][1], words[-1][0]):
            i = bisect.bisect_right(word_starts, m.start()) - 1  # the word before this character
            if i >= 0 and words[i][1] <= m.start():
                if folded[words[i][1] : words[i + 1][0]] == ".":
                    continue
                hard.add(starts[i] + words[i][1] - words[i][0])
    return CanonicalText(text, starts, words, frozenset(hard), info.norm, info.offsets)


def alias_key(alias: str) -> str:
    """The canonical form of an alias: normalised, lower-cased, words joined by one space."""
    return " ".join(WORD_RE.findall(fold_case(normalize(alias))))


class AliasMatcher:
    """Finds aliases in texts. Build once from ``(alias_text, target)`` pairs.

    >>> m = AliasMatcher([("لافروف", "lavrov"), ("سيرغي لافروف", "lavrov")])
    >>> [(x.text, x.target) for x in m.find("قال كيري للافروف ثم سيرغي لافروف")]
    [('لافروف', 'lavrov'), ('سيرغي لافروف', 'lavrov')]
    """

    def __init__(self, entries: Iterable[tuple[str, Hashable]]):
        # key -> {name_offset: set(targets)}; name_offset is 1 for the
        # "لل" spelling, whose first letter is the attached ل.
        keys: dict[str, dict[int, dict[Hashable, None]]] = {}  # targets kept in order given
        self.protected: set[str] = set()
        acronyms: dict[str, bool] = {}
        count = 0
        for alias, target in entries:
            key = alias_key(alias)
            if not key:
                continue
            count += 1
            # "UN", "US": short capitals match only in capitals (not "us" in English prose)
            if alias.strip().isascii() and alias.strip().isupper() and len(key) <= MAX_ACRONYM:
                acronyms.setdefault(key, True)
            else:
                acronyms[key] = False
            self.protected.update(w for w in key.split(" ") if is_arabic_word(w))
            keys.setdefault(key, {}).setdefault(0, {})[target] = None
            first = key.split(" ", 1)[0]
            if first.startswith("ال") and _takes_clitics(key):
                keys.setdefault("ل" + key[1:], {}).setdefault(1, {})[target] = None
        self.alias_count = count
        self.protected = frozenset(self.protected)
        self._automaton = ahocorasick.Automaton()
        for key, by_offset in keys.items():
            # (name offset, takes attached letters, targets); the "لل" spelling
            # exists only for aliases that take them
            variants = tuple(
                (offset, _allowed_prefixes(key, offset), tuple(targets))
                for offset, targets in sorted(by_offset.items())
            )
            # the trailing space makes the automaton report word ends only
            self._automaton.add_word(key + " ", (len(key), variants, acronyms.get(key, False)))
        self._empty = not keys
        if not self._empty:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return self.alias_count

    def find(self, text: str) -> list[NameMatch]:
        """Names in ``text``, in order, with spans in ``text`` as printed."""
        if self._empty or not text:
            return []
        canon = canonical_text(text)
        return self.find_canonical(text, canon)

    def find_canonical(self, text: str, canon: CanonicalText) -> list[NameMatch]:
        ctext = canon.text
        candidates = []  # (word_start, name_start, end, targets)
        for end_idx, (klen, variants, capitals) in self._automaton.iter(ctext):
            end = end_idx  # index of the trailing space
            start = end - klen
            if start <= 0:
                continue
            if canon.hard and " " in ctext[start:end] and any(i in canon.hard for i in range(start, end)):
                continue
            # letters attached before the key, inside the same word
            word_start = start
            while word_start > 0 and ctext[word_start - 1] != " " and start - word_start <= 2:
                word_start -= 1
            if ctext[word_start - 1] != " ":
                continue
            prefix = ctext[word_start:start]
            for offset, allowed, targets in variants:
                if prefix in allowed:
                    candidates.append((word_start, start + offset, end, targets, capitals))
                    break
        if not candidates:
            return []
        # longest first (counting attached letters), then leftmost
        candidates.sort(key=lambda c: (c[0] - c[2], c[0]))
        taken: list[tuple[int, int]] = []
        chosen = []
        for word_start, name_start, end, targets, capitals in candidates:
            if any(word_start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((word_start, end))
            chosen.append((name_start, end, targets, capitals))
        chosen.sort(key=lambda c: c[0])
        out = []
        for name_start, end, targets, capitals in chosen:
            a = canon.to_norm(name_start)
            b = canon.to_norm(end - 1) + 1
            o_start, o_end = span_to_original(text, canon.offsets, a, b)
            if capitals and not text[o_start:o_end].isupper():
                continue
            for target in targets:
                out.append(NameMatch(o_start, o_end, text[o_start:o_end], target))
        return out


def _allowed_prefixes(key: str, offset: int) -> frozenset[str]:
    """Letters that may be attached before ``key`` (offset 1: the "لل" key)."""
    if offset == 1:
        return _CONJ_PREFIXES
    if not _takes_clitics(key):
        return _NO_PREFIX
    return _ARTICLE_PREFIXES if key.startswith("ال") else _CLITIC_PREFIXES


def _takes_clitics(key: str) -> bool:
    first = key.split(" ", 1)[0]
    letters = len(key) - key.count(" ")
    return letters > MAX_BARE_LETTERS and is_arabic_word(first)


#: One-word names that are also everyday words (``سلامة`` "safety", ``صالح``
#: "fit", ``عباس``): alone, they are a mention only with support in the report.
def _norm_words(text: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in text.split())


COMMON_WORD_NAMES = _norm_words(
    """
    سلامة سلام صالح عباس أمين جمال كريم سعيد حسن نور هادي سالم عادل شكري فضل رضا نبيل منير ماجد عزيز رحمة
    حكيم بشير سليم مبارك عون وليد ناصر شريف صابر فهد عماد لطيف حميد زكي أمل هدى منى سعد جميل ثابت عامر
    """
)

# titles that, right before a name, say a person is meant (``الرئيس عباس``)
_NAME_TITLES = _norm_words(
    """
    الرئيس الوزير السيد السيدة الشيخ الأمير الملك الدكتور د اللواء العميد العقيد المستشار النائب السفير
    الرئيسة الوزيرة الفريق الجنرال القائد الإمام الحاج
    """
)


def supported_names(matches: list[NameMatch], text: str) -> list[NameMatch]:
    """``matches`` without the everyday words that nothing in ``text`` shows to be names.

    A one-word name in :data:`COMMON_WORD_NAMES` stays when the same target
    is also named in full somewhere in the report (``محمود عباس`` … ``عباس``),
    when a title stands right before it (``الرئيس عباس``), or when it is
    glued to another name or symbol as printed (``#عباس``, ``@سلامة``).
    """
    full = {m.target for m in matches if len(m.text.split()) > 1 or "_" in m.text}
    out = []
    for m in matches:
        key = alias_key(m.text)
        if " " in key or key not in COMMON_WORD_NAMES or m.target in full:
            out.append(m)
            continue
        before = text[max(0, m.start - 40) : m.start]
        if before[-1:] in ("#", "@"):
            out.append(m)
            continue
        words = WORD_RE.findall(fold_case(normalize(before)))
        if words and words[-1] in _NAME_TITLES and not before.rstrip(" \u00a0").endswith(tuple("،,.:؛")):
            out.append(m)
    return out

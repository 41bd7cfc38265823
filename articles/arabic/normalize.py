"""Normalisation of Arabic text, with a map back to the text as printed.

The rules are those of ``docs/ARABIC.md`` ("Normalisation"), applied the same
way at index time and at query time:

1. Unicode NFKC, one character at a time (so every output character knows
   which input character it came from; the ``ﻻ`` ligature becomes ``لا``,
   two characters that both point at the ligature);
2. invisible marks dropped (U+200B–U+200F, U+061C, U+202A–U+202E,
   U+2066–U+2069, U+FEFF);
3. diacritics, Quranic marks and tatweel dropped (U+0610–U+061A,
   U+064B–U+065F, U+0670, U+06D6–U+06ED, U+0640);
4. ``أ إ آ ٱ`` → ``ا``, ``ى`` → ``ي``, ``ة`` → ``ه``, ``ؤ ئ`` → ``ء``,
   Persian ``ی ک`` → ``ي ك``;
5. Arabic-Indic and Persian digits → ASCII digits.

Case is left alone here; :func:`fold_case` lowers Latin letters without
changing the length, for matching.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "fold_case",
    "folding_rules",
    "is_dropped",
    "normalize",
    "normalize_with_map",
    "span_to_original",
]


def _chars(*ranges: tuple[int, int]) -> frozenset[str]:
    return frozenset(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))


# Invisible marks (rule 2), then diacritics, Quranic marks and tatweel (rule 3).
_INVISIBLE = _chars((0x200B, 0x200F), (0x061C, 0x061C), (0x202A, 0x202E), (0x2066, 0x2069), (0xFEFF, 0xFEFF))
_MARKS = _chars((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0640, 0x0640))
_DROPPED = _INVISIBLE | _MARKS

_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ؤ": "ء",
    "ئ": "ء",
    "ی": "ي",
    "ک": "ك",
}
_FOLD.update({chr(0x0660 + d): str(d) for d in range(10)})
_FOLD.update({chr(0x06F0 + d): str(d) for d in range(10)})

# Character -> normalised string ("" when dropped). Filled lazily: text uses
# few distinct characters, so this stays small and makes the loop cheap.
_CACHE: dict[str, str] = {}


def folding_rules() -> dict:
    """These rules as data, for code in another language (the annotator's passage finder, in JavaScript):
    each character goes through NFKC, then is dropped if in ``dropped`` (``invisible`` ones are not part
    of a word), then replaced by ``fold`` — the steps of :func:`normalize`, one character at a time."""
    return {
        "dropped": "".join(sorted(_DROPPED)),
        "invisible": "".join(sorted(_INVISIBLE)),
        "fold": dict(_FOLD),
    }


def is_dropped(char: str) -> bool:
    """True for a character that normalisation removes (marks, tatweel…)."""
    return char in _DROPPED


def _normalize_char(char: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKC", char):
        if c in _DROPPED:
            continue
        out.append(_FOLD.get(c, c))
    return "".join(out)


def _lookup(char: str) -> str:
    result = _CACHE.get(char)
    if result is None:
        result = _normalize_char(char)
        if len(_CACHE) < 100_000:
            _CACHE[char] = result
    return result


def _table_for(text: str) -> tuple[dict[int, str], frozenset[str], bool]:
    """A ``str.translate`` table for the characters of ``text``.

    Also returns the characters it drops and whether any becomes several.
    """
    table = {}
    dropped = set()
    expands = False
    if text.isascii():  # NFKC and the Arabic rules leave ASCII alone
        return table, frozenset(), False
    for c in set(text):
        r = _lookup(c)
        if r != c:
            table[ord(c)] = r
            if not r:
                dropped.add(c)
            elif len(r) > 1:
                expands = True
    return table, frozenset(dropped), expands


def normalize(text: str) -> str:
    """Return ``text`` normalised by the rules of ARABIC.md.

    >>> normalize("مُحَمَّد")
    'محمد'
    >>> normalize("الأسد ٢٠١٦")
    'الاسد 2016'
    """
    table, _, _ = _table_for(text)
    if not table:
        return text
    if len(table) > _REPLACE_AT_MOST or any(ord(c) in table for r in table.values() for c in r):
        return text.translate(table)
    # A few characters to change in a long text: one `str.replace` each (a scan in C) is several times
    # faster than `translate` with a dict, which looks every character up. The same result, since what
    # they become is left alone by the rules (checked just above).
    for code, replacement in table.items():
        text = text.replace(chr(code), replacement)
    return text


_REPLACE_AT_MOST = 32


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise ``text`` and map every normalised character back.

    Returns ``(norm, offsets)`` where ``offsets[i]`` is the index in ``text``
    of the character that produced ``norm[i]``, plus one final entry equal to
    ``len(text)``. The map is monotone (non-decreasing), so a normalised span
    ``[a, b)`` is printed as ``text[offsets[a]:offsets[b]]``; that slice also
    takes in the diacritics dropped after the span's last letter, so a
    highlighted word keeps its vowel marks. See :func:`span_to_original` for
    an end that does not run over dropped invisible marks.
    """
    table, dropped, expands = _table_for(text)
    if not expands:
        # the common case, done in C: one character in, at most one out
        norm = text.translate(table) if table else text
        if dropped:
            offsets = [i for i, c in enumerate(text) if c not in dropped]
            offsets.append(len(text))
        else:
            offsets = list(range(len(text) + 1))
        return norm, offsets
    out: list[str] = []
    offsets = []
    for i, c in enumerate(text):
        r = _lookup(c)
        if not r:
            continue
        out.append(r)
        if len(r) == 1:
            offsets.append(i)
        else:
            offsets.extend([i] * len(r))
    offsets.append(len(text))
    return "".join(out), offsets


def span_to_original(text: str, offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Map the normalised span ``[start, end)`` to a span of ``text``.

    The end takes in the diacritics and tatweel written on the span's last
    letter (``كيريٌ`` is highlighted whole) but not invisible marks or
    spaces that follow it.
    """
    o_start = offsets[start]
    if end <= start:
        return o_start, o_start
    o_end = offsets[end - 1] + 1
    limit = offsets[end]
    while o_end < limit and text[o_end] in _DROPPED and not _is_invisible(text[o_end]):
        o_end += 1
    return o_start, max(o_end, o_start)


def _is_invisible(char: str) -> bool:
    cp = ord(char)
    return 0x200B <= cp <= 0x200F or cp == 0x061C or 0x202A <= cp <= 0x202E or 0x2066 <= cp <= 0x2069 or cp == 0xFEFF


def fold_case(norm: str) -> str:
    """Lower-case without changing the length (for offset-keeping matching).

    Characters whose lower case is longer than one character (``İ``) are
    kept as they are.
    """
    lowered = norm.lower()
    if len(lowered) == len(norm):
        return lowered  # lower-casing never shortens, so this is one for one
    return "".join([low if len(low := c.lower()) == 1 else c for c in norm])

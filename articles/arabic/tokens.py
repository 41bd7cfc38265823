"""Tokenising after normalisation, so diacritics never split a word."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .normalize import fold_case, normalize_with_map, span_to_original

__all__ = ["WORD_RE", "Analysis", "Token", "analyse", "tokenize"]

# A word is a run of letters and digits; combining marks that survive
# normalisation (Latin accents typed as separate characters) stay inside it.
WORD_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")


class Token(NamedTuple):
    """A word: ``text`` as printed at ``[start, end)``, ``norm`` normalised.

    ``norm`` is also lower-cased (Latin words), ready for indexing.
    """

    text: str
    start: int
    end: int
    norm: str


class Analysis(NamedTuple):
    """One pass over a text, shared by everything that reads it.

    ``norm``/``offsets`` as from :func:`normalize_with_map`, ``folded`` the
    lower-cased ``norm``, ``words`` the ``(start, end)`` of each word in
    ``norm``, ``tokens`` the words with offsets in the original.
    """

    norm: str
    offsets: list[int]
    folded: str
    words: tuple[tuple[int, int], ...]
    tokens: tuple[Token, ...]


@lru_cache(maxsize=8)
def analyse(text: str) -> Analysis:
    """Normalise and split ``text`` once (cached: names, roles, quotes and dates read the same body)."""
    norm, offsets = normalize_with_map(text)
    folded = fold_case(norm)
    identity = len(norm) == len(text) and offsets == list(range(len(text) + 1))
    words = []
    tokens = []
    for m in WORD_RE.finditer(folded):
        a, b = m.span()
        words.append((a, b))
        if identity:
            tokens.append(Token(text[a:b], a, b, m.group()))
            continue
        start, end = offsets[a], offsets[b - 1] + 1
        if end < offsets[b]:  # marks dropped after the word: take in those written on it
            start, end = span_to_original(text, offsets, a, b)
        tokens.append(Token(text[start:end], start, end, m.group()))
    return Analysis(norm, offsets, folded, tuple(words), tuple(tokens))


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into words, with offsets into ``text`` as printed.

    >>> [t.norm for t in tokenize("مُحَمَّد، Kerry!")]
    ['محمد', 'kerry']
    """
    return list(analyse(text).tokens)

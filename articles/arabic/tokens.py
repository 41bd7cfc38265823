"""Tokenising after normalisation, so diacritics never split a word."""

from __future__ import annotations

import re
from typing import NamedTuple

from .normalize import fold_case, normalize_with_map, span_to_original

__all__ = ["WORD_RE", "Token", "tokenize"]

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


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into words, with offsets into ``text`` as printed.

    >>> [t.norm for t in tokenize("مُحَمَّد، Kerry!")]
    ['محمد', 'kerry']
    """
    norm, offsets = normalize_with_map(text)
    folded = fold_case(norm)
    tokens = []
    for m in WORD_RE.finditer(folded):
        start, end = span_to_original(text, offsets, m.start(), m.end())
        tokens.append(Token(text[start:end], start, end, m.group()))
    return tokens

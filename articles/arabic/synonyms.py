"""Spelling variants that no normalisation rule joins, expanded at query time.

Groups are written in normalised form (see :func:`~.normalize.normalize`):
``مسؤول``/``مسئول`` need no entry, hamza folding already makes both
``مسءول``. To add a built-in variant, add a group to :data:`SYNONYM_GROUPS`;
editors' variants (the Synonym model) are passed in as ``extra``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from .normalize import normalize
from .stem import PLURAL_SUFFIXES, PRONOUN_SUFFIXES, forms

__all__ = ["SYNONYM_GROUPS", "build_table", "expand"]

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("سوريا", "سوريه"),
    ("اميركي", "امريكي"),
    ("اميركا", "امريكا"),
    ("اميركيه", "امريكيه"),
    ("نتنياهو", "نتانياهو"),
    ("ابو ظبي", "ابوظبي"),
    ("فيينا", "فيينه"),
    ("ميركل", "ميركيل"),
    ("ترامب", "ترمب"),
    ("لافروف", "لافروڤ"),
)

_PREFIXES = (
    "",
    "و",
    "ف",
    "ب",
    "ك",
    "ل",
    "ال",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "ول",
    "وب",
    "ولل",
    "فلل",
)
_SUFFIXES = frozenset(("",) + PRONOUN_SUFFIXES + PLURAL_SUFFIXES)


def build_table(groups: Iterable[Iterable[str]]) -> dict[str, frozenset[str]]:
    """Word -> every spelling of its group (itself included), normalised."""
    table: dict[str, set[str]] = {}
    for group in groups:
        words = {normalize(w).strip() for w in group}
        words.discard("")
        if len(words) < 2:
            continue
        merged = set(words)
        for w in words:
            merged |= table.get(w, set())
        for w in merged:
            table[w] = merged
    return {k: frozenset(v) for k, v in table.items()}


_TABLE = build_table(SYNONYM_GROUPS)


@lru_cache(maxsize=8)
def _table_with(extra: tuple[tuple[str, ...], ...]) -> dict[str, frozenset[str]]:
    return build_table([*SYNONYM_GROUPS, *extra])


def expand(norm_word: str, extra: Iterable[Iterable[str]] | None = None) -> set[str]:
    """The word and its variant spellings, clitics and suffixes carried over.

    ``expand("سوريا") == {"سوريا", "سوريه"}``; ``expand("لسوريا")`` gives
    ``لسوريه`` too. ``extra`` is more groups (pairs or longer), e.g. from
    the editors' Synonym table.
    """
    table = _TABLE if not extra else _table_with(tuple(tuple(g) for g in extra))
    out = {norm_word}
    direct = table.get(norm_word)
    if direct:
        out |= direct
    for key, group in table.items():
        idx = norm_word.find(key)
        if idx < 0:
            continue
        prefix, suffix = norm_word[:idx], norm_word[idx + len(key) :]
        if (prefix or suffix) and prefix in _PREFIXES and suffix in _SUFFIXES:
            out |= {prefix + variant + suffix for variant in group}
    return out


def words_match(
    query_word: str,
    doc_word: str,
    protected: Iterable[str] = frozenset(),
    synonyms: bool = True,
) -> bool:
    """The matching rule of this module, for one normalised word on each side.

    With ``synonyms`` the query word is first expanded to its variant
    spellings (``سوريا`` → ``سوريه``), as search does at query time.
    """
    protected = frozenset(protected)
    doc_forms = forms(doc_word, protected)
    queries = expand(query_word) if synonyms else {query_word}
    return any(not forms(q, protected).isdisjoint(doc_forms) for q in queries)

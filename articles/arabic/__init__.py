"""Arabic text toolkit: normalisation, stemming, name, quote and date finding.

Pure Python (no Django); see ``docs/arabic.md`` and ``docs/ARABIC.md``.
"""

from .names import AliasMatcher, NameMatch, alias_key
from .normalize import fold_case, normalize, normalize_with_map, span_to_original
from .stem import KNOWN_WORDS, forms, index_forms, stem_forms, words_match
from .synonyms import SYNONYM_GROUPS, expand
from .tokens import Token, tokenize

__all__ = [
    "KNOWN_WORDS",
    "SYNONYM_GROUPS",
    "AliasMatcher",
    "NameMatch",
    "Token",
    "alias_key",
    "expand",
    "fold_case",
    "forms",
    "index_forms",
    "normalize",
    "normalize_with_map",
    "span_to_original",
    "stem_forms",
    "tokenize",
    "words_match",
]

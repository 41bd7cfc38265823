"""Arabic text toolkit: normalisation, stemming, name, quote and date finding.

Pure Python (no Django); see ``docs/arabic.md`` and ``docs/ARABIC.md``.
"""

from .dates import MONTHS, ORDINAL_DAYS, WEEKDAYS, DateMatch, find_dates
from .names import COMMON_WORD_NAMES, AliasMatcher, NameMatch, alias_key, supported_names
from .normalize import fold_case, normalize, normalize_with_map, span_to_original
from .quotes import QuoteMatch, find_quote_spans, find_quotes
from .roles import NISBAS, ROLE_WORDS, Office, RoleMatch, RoleResolver, RoleWord
from .stem import CITIES, KNOWN_WORDS, derived_forms, forms, index_forms, stem_forms
from .synonyms import SYNONYM_GROUPS, expand, words_match
from .tokens import Analysis, Token, analyse, tokenize
from .translit import EXONYMS, arabic_spellings, is_latin_word

__all__ = [
    "CITIES",
    "EXONYMS",
    "COMMON_WORD_NAMES",
    "KNOWN_WORDS",
    "MONTHS",
    "NISBAS",
    "ORDINAL_DAYS",
    "ROLE_WORDS",
    "SYNONYM_GROUPS",
    "WEEKDAYS",
    "AliasMatcher",
    "Analysis",
    "DateMatch",
    "NameMatch",
    "Office",
    "QuoteMatch",
    "RoleMatch",
    "RoleResolver",
    "RoleWord",
    "Token",
    "alias_key",
    "analyse",
    "arabic_spellings",
    "derived_forms",
    "expand",
    "find_dates",
    "find_quote_spans",
    "find_quotes",
    "fold_case",
    "forms",
    "index_forms",
    "is_latin_word",
    "normalize",
    "normalize_with_map",
    "span_to_original",
    "stem_forms",
    "supported_names",
    "tokenize",
    "words_match",
]

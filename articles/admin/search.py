"""Admin search that ignores diacritics, tatweel and hamza variants, in both scripts.

Names are stored as printed (`الأسد`, `مُحَمَّد`), so a plain `icontains`
misses `الاسد` or `محمد`. The search term is normalised with the toolkit's
`normalize`, then turned into a regular expression that matches every printed
spelling normalising to it: each letter becomes the class of letters that fold
to it (`ا` → `[اأإآٱ]`), and diacritics or tatweel may stand between letters.
Both PostgreSQL and SQLite (Django supplies REGEXP) run it, and it costs a scan
of the searched columns, which is fine for the record tables the admin
searches. Participants are also found through `ParticipantAlias.normalized`,
which holds each alias already normalised.
"""

import re
from functools import cache, reduce
from operator import and_, or_

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.db.models import Q
from django.utils.text import smart_split, unescape_string_literal

from articles.arabic import fold_case, normalize
from articles.arabic.normalize import is_dropped

# Characters whose normalised forms the pattern must reach: Arabic, Arabic
# presentation forms are folded by NFKC, and the marks normalisation drops.
_SCANNED = [*range(0x0600, 0x0700), *range(0x06F0, 0x06FA), *range(0x200B, 0x2070), 0xFEFF, *range(0x30, 0x3A)]


@cache
def _variants():
    """Normalised character → every single character that normalises to it."""
    table = {}
    for codepoint in _SCANNED:
        char = chr(codepoint)
        folded = normalize(char)
        if len(folded) == 1:
            table.setdefault(folded, {folded}).add(char)
    return {key: "".join(sorted(chars)) for key, chars in table.items()}


@cache
def _dropped_class():
    return "[" + "".join(chr(c) for c in _SCANNED if is_dropped(chr(c))) + "]*"


def variants_pattern(term):
    """A regular expression matching `term` however it was printed (case is left to `__iregex`)."""
    variants = _variants()
    parts = []
    for char in normalize(term):
        if char.isspace():
            parts.append(r"\s+")
        elif len(variants.get(char, "")) > 1:
            parts.append("[" + variants[char] + "]")
        else:
            parts.append(re.escape(char))
    return _dropped_class().join(parts)


def search_terms(search_term):
    """The admin's own splitting: words, or "quoted phrases" kept whole."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if normalize(bit).strip():
            terms.append(bit)
    return terms


def normalized_search_q(search_term, fields, alias_path=None):
    """A Q matching rows where every term is found, normalised, in one of `fields` (or an alias)."""
    conditions = []
    for term in search_terms(search_term):
        pattern = variants_pattern(term)
        alternatives = [Q(**{f"{name}__iregex": pattern}) for name in fields]
        if alias_path:
            alternatives.append(Q(**{f"{alias_path}__normalized__contains": fold_case(normalize(term))}))
        conditions.append(reduce(or_, alternatives))
    return reduce(and_, conditions) if conditions else Q()


class NormalizedSearchMixin:
    """For a ModelAdmin: `search_fields` searched normalised; `search_alias_path` adds aliases.

    Plain field names only (no `^`, `=` or `@` prefixes): every field is matched
    as "contains, however printed".
    """

    search_alias_path = None

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        fields = self.get_search_fields(request)
        condition = normalized_search_q(search_term, fields, self.search_alias_path)
        # a path along foreign keys (a quote's `article__title`) gives each row once: no DISTINCT, which
        # made PostgreSQL sort every match of an annotation list (1.1 s for a name at 100,000 reports)
        opts = queryset.model._meta
        may_have_duplicates = bool(self.search_alias_path) or any(
            lookup_spawns_duplicates(opts, name) for name in fields
        )
        return queryset.filter(condition), may_have_duplicates

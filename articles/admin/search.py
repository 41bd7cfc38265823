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

The reports are too many to scan (a million titles: seconds). On PostgreSQL
each report carries `search_folded` (migration 0008), a stored generated
column: its title and byline through `archive_fold(text)`, which is
`translate(lower(text), …)` with the same character table the patterns are
built from (`fold_table`). A trigram index (`pg_trgm`) on that column finds
the reports whose folded title or byline contains each folded word of a term;
the regular expression then checks those rows, so what is found is exactly
what the scan found (`normalized_search_q`). The column is stored because
`translate` with this table costs ~37 µs a title: computed at every check of
a candidate (10,000 for a common word), it took longer than the scan.
"""

import re
from functools import cache, reduce
from operator import and_, or_

from django.contrib.admin.utils import lookup_spawns_duplicates
from django.db import connections
from django.db.models import Expression, Q, TextField
from django.db.models.lookups import Contains
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


FOLD_FUNCTION = "archive_fold"


@cache
def fold_table():
    """(from, to) for PostgreSQL's `translate()`: every character the patterns fold, and what it folds to.

    The characters normalisation drops come last in `from`, with nothing facing them in `to`, so
    `translate` deletes them. `archive_fold(x)` contains `fold(term)` wherever `variants_pattern(term)`
    matches `x` (the pattern's classes are these same characters).
    """
    sources, targets = [], []
    for folded, chars in sorted(_variants().items()):
        for char in chars:
            if char != folded:
                sources.append(char)
                targets.append(folded)
    dropped = [chr(c) for c in _SCANNED if is_dropped(chr(c))]
    return "".join(sources) + "".join(dropped), "".join(targets)


def fold_function_sql():
    """The SQL that (re)creates `archive_fold(text)` with the current table (migration 0008)."""
    source, target = (x.replace("'", "''") for x in fold_table())
    return (
        f"CREATE OR REPLACE FUNCTION {FOLD_FUNCTION}(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $$ SELECT translate(lower($1), '{source}', '{target}') $$"
    )


def fold(text):
    """What `archive_fold` makes of `text` (for a search term: normalised first, as the patterns are)."""
    source, target = fold_table()
    return text.lower().translate({ord(c): (target[i] if i < len(target) else None) for i, c in enumerate(source)})


FOLDED_COLUMN = "search_folded"


class FoldedColumn(Expression):
    """The reports' `search_folded` column (PostgreSQL only, unknown to the model: see migration 0008).

    Named through the query being compiled, so it is right in a subquery too.
    """

    output_field = TextField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name(FOLDED_COLUMN)}", []


def search_terms(search_term):
    """The admin's own splitting: words, or "quoted phrases" kept whole."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if normalize(bit).strip():
            terms.append(bit)
    return terms


def normalized_search_q(search_term, fields, alias_path=None, folded=False):
    """A Q matching rows where every term is found, normalised, in one of `fields` (or an alias).

    With `folded` (reports, on PostgreSQL), each term first asks "the folded title and byline
    contain each folded word of the term", which the trigram index answers; the patterns then
    decide on the rows found, so the result is the same as without.
    """
    conditions = []
    for term in search_terms(search_term):
        pattern = variants_pattern(term)
        alternatives = [Q(**{f"{name}__iregex": pattern}) for name in fields]
        if alias_path:
            alternatives.append(Q(**{f"{alias_path}__normalized__contains": fold_case(normalize(term))}))
        condition = reduce(or_, alternatives)
        words = fold(normalize(term)).split()
        if folded and words:
            condition = reduce(and_, [Q(Contains(FoldedColumn(), word)) for word in words]) & condition
        conditions.append(condition)
    return reduce(and_, conditions) if conditions else Q()


class NormalizedSearchMixin:
    """For a ModelAdmin: `search_fields` searched normalised; `search_alias_path` adds aliases.

    Plain field names only (no `^`, `=` or `@` prefixes): every field is matched
    as "contains, however printed".
    """

    search_alias_path = None
    # reports only: the fields the `search_folded` column holds (migration 0008)
    search_folded_fields = ()

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        fields = self.get_search_fields(request)
        folded = (
            connections[queryset.db].vendor == "postgresql"
            and bool(self.search_folded_fields)
            and set(fields) <= set(self.search_folded_fields)  # else the column would leave out a match
        )
        condition = normalized_search_q(search_term, fields, self.search_alias_path, folded)
        # a path along foreign keys (a quote's `article__title`) gives each row once: no DISTINCT, which
        # made PostgreSQL sort every match of an annotation list (1.1 s for a name at 100,000 reports)
        opts = queryset.model._meta
        may_have_duplicates = bool(self.search_alias_path) or any(
            lookup_spawns_duplicates(opts, name) for name in fields
        )
        return queryset.filter(condition), may_have_duplicates

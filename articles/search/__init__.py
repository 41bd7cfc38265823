"""Full-text search over the archive: one service for the public pages and the API.

- `search(queryset, q)` returns `queryset` narrowed to the reports matching
  `q`, best match first (annotated `search_rank`), or raises `QueryError` with
  a message for the user. The result is an ordinary QuerySet: filters, facet
  counts (`queryset.order_by().values("pk")`) and pagination compose with it.
- `snippet(article, q)` returns a short passage as safe HTML with the matched
  words in `<mark>`, in their original spelling.

The query language is described in `articles/search/query.py`, the index in
`articles/search/index.py`, and both in `docs/search.md`.
"""

import threading
from functools import lru_cache

from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.search.index import FTS_TABLE, Indexer, document_texts
from articles.search.query import MAX_QUERY_LENGTH, ParsedQuery, QueryError, parse

__all__ = ["MAX_QUERY_LENGTH", "QueryError", "parse_query", "search", "snippet"]

# Weights A, B, C, D (see articles/search/index.py): title words over body words, exact spellings over stripped forms
WEIGHTS = (1.0, 0.5, 0.2, 0.05)
PG_WEIGHTS = "{" + ", ".join(str(w) for w in reversed(WEIGHTS)) + "}"  # ts_rank takes them as {D, C, B, A}

_recent = threading.local()


def parse_query(q):
    """`q` read into a `ParsedQuery` (None when it has no words); remembered for the snippets that follow."""
    memo = getattr(_recent, "queries", None)
    if memo is not None and q in memo:
        return memo[q]
    parsed = parse(q)
    _recent.queries = {q: parsed}
    return parsed


class _Matches(Func):
    """`vector @@ CAST(%s AS tsquery)`: the lexemes are built in Python, so no text search parser re-splits them."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, vector, tsquery):
        super().__init__(vector, _TsQuery(Value(tsquery)))


class _TsQuery(Func):
    template = "CAST(%(expressions)s AS tsquery)"


class _TsRank(Func):
    function = "ts_rank"
    output_field = FloatField()

    def __init__(self, vector, tsquery):
        super().__init__(_Weights(Value(PG_WEIGHTS)), vector, _TsQuery(Value(tsquery)))


class _Weights(Func):
    template = "CAST(%(expressions)s AS float4[])"


class _FtsScore(Func):
    """The rank of one report on SQLite: `search_score` (below) over its FTS5 columns, looked up by rowid."""

    output_field = FloatField()

    def __init__(self, pk, lexemes, spellings):
        super().__init__(pk, Value(" ".join(sorted(lexemes))), Value(" ".join(sorted(spellings))))

    def as_sql(self, compiler, connection, **extra):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        sql = f"(SELECT search_score(a, b, c, d, %s, %s) FROM {FTS_TABLE} WHERE {FTS_TABLE}.rowid = {pk_sql})"
        return sql, [self.source_expressions[1].value, self.source_expressions[2].value, *pk_params]


@lru_cache(maxsize=16)
def _lexeme_set(lexemes):
    return frozenset(lexemes.split(" "))


def _search_score(a, b, c, d, lexemes, spellings):
    """Like the PostgreSQL rank: matched words counted by weight, words spelt as typed counted again."""
    score = 0.0
    for wanted in (_lexeme_set(lexemes), _lexeme_set(spellings)):
        for weight, column in zip(WEIGHTS, (a, b, c, d), strict=True):
            score += weight * sum(1 for word in (column or "").split(" ") if word in wanted)
    return score


def search(queryset, q):
    """`queryset` narrowed to the reports matching `q`, best first; `QueryError` for a query that cannot run."""
    parsed = parse_query(q)
    if parsed is None:
        return queryset.none()
    if connection.vendor == "postgresql":
        tsquery = parsed.tsquery()
        vector = F("search_document__vector")
        queryset = queryset.filter(_Matches(vector, tsquery)).annotate(
            search_rank=_TsRank(vector, tsquery) + _TsRank(vector, parsed.spellings_tsquery())
        )
    else:
        queryset = _search_sqlite(queryset, parsed)
    return queryset.order_by("-search_rank", F("published").desc(nulls_last=True), "-pk")


def _search_sqlite(queryset, parsed: ParsedQuery):
    expression = parsed.fts5()
    matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    queryset = queryset.filter(pk__in=matching)
    if parsed.has_phrase:
        # FTS5 found reports with all the words; keep those where the phrases hold word by word
        candidates = list(queryset.order_by().values_list("pk", flat=True).distinct())
        indexer = Indexer()
        texts = document_texts(candidates)
        kept = [pk for pk, text in texts.items() if parsed.matches(indexer.lexeme_sets(indexer.fields(*text)))]
        queryset = queryset.filter(pk__in=kept)
    connection.ensure_connection()
    connection.connection.create_function("search_score", 6, _search_score, deterministic=True)
    return queryset.annotate(search_rank=_FtsScore(F("pk"), parsed.lexemes(), parsed.spellings()))


def snippet(article, q, length=240):
    """A passage of the body around the best cluster of matches, matched words in `<mark>`.

    Words are marked where their lexemes meet the query's (so `للافروف` is
    marked for `لافروف`, and `لافروف` for `Lavrov`), as printed.
    """
    from articles.arabic import tokenize

    try:
        parsed = parse_query(q)
    except QueryError:
        parsed = None
    body = article.body
    wanted = parsed.lexemes() if parsed else frozenset()
    indexer = Indexer(protected=frozenset())
    tokens = tokenize(body)
    hits = [t for t in tokens if t.norm in wanted or not wanted.isdisjoint(indexer.stems(t.norm))]
    start = _window_start(hits, len(body), length)
    end = min(len(body), start + length)
    # do not cut a word in two at either end
    while start > 0 and not body[start - 1].isspace() and start > end - length - 20:
        start -= 1
    while end < len(body) and not body[end].isspace() and end < start + length + 20:
        end += 1
    html, cursor = [], start
    for token in hits:
        if token.start < start or token.end > end:
            continue
        html.append(escape(body[cursor : token.start]))
        html.append(f"<mark>{escape(body[token.start : token.end])}</mark>")
        cursor = token.end
    html.append(escape(body[cursor:end]))
    return mark_safe(("…" if start > 0 else "") + "".join(html) + ("…" if end < len(body) else ""))


def _window_start(hits, body_length, length):
    """Where a passage of `length` characters holding the most matches begins (a little before the first)."""
    if not hits:
        return 0
    best, best_count, j = hits[0].start, 0, 0
    for i, token in enumerate(hits):
        while hits[j].start < token.start - length * 2 // 3:
            j += 1
        if i - j + 1 > best_count:
            best_count, best = i - j + 1, hits[j].start
    return max(0, min(best - length // 4, body_length - length))

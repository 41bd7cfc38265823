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
from django.db.backends.signals import connection_created
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.arabic import is_latin_word, tokenize
from articles.models import Article, SearchDocument
from articles.search.index import FTS_TABLE, Indexer, document_texts
from articles.search.query import MAX_QUERY_LENGTH, ParsedQuery, QueryError, parse
from articles.search.rank import HEAD, document_frequencies, printed, rerank

__all__ = ["MAX_QUERY_LENGTH", "QueryError", "parse_query", "search", "search_quotes", "snippet"]


_recent = threading.local()


def parse_query(q, fresh=False):
    """`q` read into a `ParsedQuery` (None when it has no words).

    `search` always reads the query afresh (two small lookups: synonyms and
    names) and leaves it here, so the snippets of the page that follows reuse
    it without a query each.
    """
    memo = getattr(_recent, "queries", None)
    if not fresh and memo is not None and q in memo:
        return memo[q]
    parsed = parse(q)
    _recent.queries = {q: parsed}
    return parsed


class _TsQuery(Func):
    template = "CAST(%(expressions)s AS tsquery)"


class _Matches(Func):
    """`vector @@ CAST(%s AS tsquery)`: the lexemes are built in Python, so no text search parser re-splits them."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()

    def __init__(self, vector, tsquery):
        super().__init__(vector, _TsQuery(Value(tsquery)))


def _tier(condition, points):
    return Case(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def _pg_rank(loosely, title_typed, body_typed, title_any):
    """Tiers: 4 a typed word in the title, 2 a typed word printed in the body, 1 any form in the title.

    The title tiers test each match's `title_vector`, a few hundred bytes kept
    in the row. The body tier asks the GIN index once for "the reports that
    print a word as typed" among those `loosely` matching (the query without
    phrases or exclusions, which the index answers without reading a vector),
    so a selective query hashes its few matches, not every report that prints
    one of its words, and no stored body vector is decompressed.
    """
    title = F("search_document__title_vector")
    printed = SearchDocument.objects.filter(_Matches(F("vector"), f"({loosely}) & ({body_typed})"))
    return (
        _tier(_Matches(title, title_typed), 4)
        + _tier(Q(pk__in=printed.values("article_id")), 2)
        + _tier(_Matches(title, title_any), 1)
    )


class _FtsScore(Func):
    """The rank of one report on SQLite: `search_score` (below) over its FTS5 columns, looked up by rowid."""

    output_field = IntegerField()

    def __init__(self, pk, lexemes, spellings):
        super().__init__(pk, Value(" ".join(sorted(lexemes))), Value(" ".join(sorted(spellings))))

    def as_sql(self, compiler, connection, **extra):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        sql = f"(SELECT search_score(a, b, c, %s, %s) FROM {FTS_TABLE} WHERE {FTS_TABLE}.rowid = {pk_sql})"
        return sql, [self.source_expressions[1].value, self.source_expressions[2].value, *pk_params]


@lru_cache(maxsize=16)
def _lexeme_set(lexemes):
    return frozenset(lexemes.split(" "))


def _search_score(title, title_stems, body, lexemes, spellings):
    """The PostgreSQL tiers, on the FTS5 columns (a title, b its stripped forms, c body)."""
    wanted, typed = _lexeme_set(lexemes), _lexeme_set(spellings)
    title_words = set((title or "").split(" "))
    score = 4 if not typed.isdisjoint(title_words) else 0
    score += 2 if not typed.isdisjoint((body or "").split(" ")) else 0
    score += 1 if not wanted.isdisjoint(title_words | set((title_stems or "").split(" "))) else 0
    return score


_scored = set()  # ids of the SQLite connections that have search_score (sqlite3 objects take no weak references)


@receiver(connection_created)
def _register_score(sender=None, connection=None, **kwargs):
    """Give every SQLite connection the `search_score` function, when it opens (between statements)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("search_score", 5, _search_score, deterministic=True)
        _scored.add(id(connection.connection))


def _drop_unfound_latin(parsed, frequencies):
    """Leave out a clause typed in Latin letters that nothing in the index matches (a name no alias
    holds and no Arabic spelling finds), so one such word does not empty an all-words query."""
    total, df = frequencies
    unfound = [
        c
        for c in parsed.positive
        if not df.get(c) and all(is_latin_word(w) for seq in c.sequences[:1] for slot in seq for w in slot.spellings)
    ]
    if unfound and len(unfound) < len(parsed.positive):
        parsed = parsed.without(unfound)
        frequencies = (total, {c: n for c, n in df.items() if c not in unfound})
    return parsed, frequencies


class _HeadFirst(Func):
    """The rank: the reranked head in its order (``1000 + HEAD`` down), every other match 0."""

    output_field = IntegerField()

    def __init__(self, pk, head):
        self.head = list(head)
        super().__init__(pk)

    def as_sql(self, compiler, connection, **extra):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        top = 1000 + len(self.head)
        if not self.head:
            return "0", []
        if connection.vendor == "postgresql":
            return f"COALESCE(%s - array_position(CAST(%s AS bigint[]), {pk_sql}), 0)", [top, self.head, *pk_params]
        whens = " ".join(f"WHEN {pk_sql} = %s THEN %s" for _ in self.head)
        params = []
        for i, pk in enumerate(self.head):
            params += [*pk_params, pk, top - i]
        return f"(CASE {whens} ELSE 0 END)", params


def search(queryset, q):
    """`queryset` narrowed to the reports matching `q`, best first; `QueryError` for a query that cannot run.

    The database orders the matches by cheap tiers to find the first `rank.HEAD`; those are
    reordered by `articles.search.rank` (rarity, proximity, field, kind of match) and come first,
    the other matches after them, newest first. The returned QuerySet's ordering does not rank
    every match again: a page costs one lookup of the matches and a sort by date.
    """
    parsed = parse_query(q, fresh=True)
    if parsed is None:  # no words (punctuation, a lone clitic): nothing, still ordered like a search
        return queryset.annotate(search_rank=Value(0, output_field=IntegerField())).none()
    spellings = parsed.latin_spellings()
    if spellings:  # keep only the Arabic spellings of Latin words that some report prints
        parsed = parsed.keeping(printed(spellings))
    frequencies = document_frequencies(parsed)
    parsed, frequencies = _drop_unfound_latin(parsed, frequencies)
    _recent.queries = {q: parsed}
    if connection.vendor == "postgresql":
        matched = queryset.filter(_Matches(F("search_document__vector"), parsed.tsquery()))
        tiered = matched.annotate(search_tier=_pg_rank(parsed.tsquery(exact=False), *parsed.ranking_tsqueries()))
    else:
        matched = _search_sqlite(queryset, parsed)
        tiered = matched.annotate(search_tier=_FtsScore(F("pk"), parsed.lexemes(), parsed.spellings()))
    newest = (F("dated").desc(nulls_last=True), "-pk")
    head = list(tiered.order_by("-search_tier", *newest).values_list("pk", flat=True)[:HEAD])
    head = rerank(parsed, head, frequencies)
    return matched.annotate(search_rank=_HeadFirst(F("pk"), head)).order_by("-search_rank", *newest)


def search_quotes(quotes, q):
    """`quotes` narrowed to those whose words, or English translation, match `q`; `QueryError` as `search`.

    A quote's words are in its report's body and its translation in the report's index entry, so
    the index first finds the matching reports; each of their quotes is then matched on its own
    text with the same normalisation and stems (a quote matches when all the query's words are in it).
    """
    parsed = parse_query(q, fresh=True)
    if parsed is None:
        return quotes.none()
    reports = search(Article.objects.all(), q).order_by().values("pk")
    candidates = quotes.filter(article__in=reports).order_by().values_list("pk", "text", "translation_en")
    indexer = Indexer()
    kept = [
        pk
        for pk, text, translation in candidates
        if parsed.matches(
            indexer.lexeme_sets(indexer.fields("", text, translations=[translation] if translation else []))
        )
    ]
    return quotes.filter(pk__in=kept)


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
    if id(connection.connection) not in _scored:  # opened before this module was imported
        _register_score(connection)
    return queryset


def snippet(article, q, length=240):
    """A passage of the body around the best cluster of matches, matched words in `<mark>`.

    Words are marked where their lexemes meet the query's (so `للافروف` is
    marked for `لافروف`, and `لافروف` for `Lavrov`), as printed.
    """
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

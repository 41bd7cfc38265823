"""Writing the search index: every word of a report under its exact and stripped forms.

What is indexed for a report, and how it weighs in ranking:

- A: exact words of the title;
- B: exact words of the body;
- C: stripped forms from the title; exact words of the names of the people
  and parties the report involves (`Article.participants`, every alias), of
  the places it names or its meetings were held in (both languages: `Geneva`
  finds a report that prints `جنيف`), and of quote translations;
- D: every other stripped form.

On PostgreSQL the words go into `SearchDocument.vector`, a `tsvector` written
as a literal built here (so the database never re-splits a word), each word's
exact and stripped forms at the same position so that phrases still match.
Fields are separated by an unused position, so a phrase never runs from the
title into the body. On SQLite they go into the FTS5 table
`articles_search_fts` (rowid = article id), one column a weight (a, b, c, d).
"""

from __future__ import annotations

import sys
from collections import defaultdict

from django.db import connection, transaction

from articles.arabic import fold_case, normalize, stem_forms, tokenize
from articles.arabic.tokens import WORD_RE
from articles.models import Article, Quote
from diplomacy.models import Participant, ParticipantAlias, Place

FTS_TABLE = "articles_search_fts"
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_LEXEME = 256  # and the most positions it keeps for one lexeme
MAX_LEXEME_LENGTH = 200
# PostgreSQL refuses a tsvector over 1,048,575 bytes (a 2 MB body of varied words reaches it); each
# lexeme costs its bytes plus an entry, a position count and padding, each position two bytes.
MAX_VECTOR_BYTES = 1_000_000
LEXEME_OVERHEAD = 8
TITLE_MARK = "^"  # on an exact title word in the tsvector (see Indexer.tsvectors)
STEM_MARK = "~"  # on a stripped form  # longer "words" (URLs, runs of digits) are not worth a lookup


def words(text):
    """The normalised words of `text`: `[t.norm for t in tokenize(text)]`, without the offsets (5x faster)."""
    norm = normalize(text)
    folded = norm.lower()
    if len(folded) != len(norm) or "Σ" in norm:  # where whole-string lowering differs from fold_case
        folded = fold_case(norm)
    return WORD_RE.findall(folded)


def load_protected():
    """Names that stemming must leave whole: every one-word alias and every person's surname."""
    rows = ParticipantAlias.objects.values_list("normalized", "participant__kind")
    return frozenset(w for alias, kind in rows for w in protected_forms(alias, kind))


class Indexer:
    """Turns report texts into index entries; remembers each word's forms across reports."""

    def __init__(self, protected=None):
        self.protected = load_protected() if protected is None else protected
        self._stems = {}

    def stems(self, word):
        found = self._stems.get(word)
        if found is None:
            found = self._stems[word] = stem_forms(word, self.protected) if len(word) <= MAX_LEXEME_LENGTH else []
        return found

    def fields(self, title, body, names=(), translations=()):
        """The report's fields as (kind, [normalised words]); kinds are title, body and extra."""
        out = [("title", words(title)), ("body", words(body))]
        out += [("extra", words(text)) for text in [*names, *translations]]
        return [(kind, [w for w in words if len(w) <= MAX_LEXEME_LENGTH]) for kind, words in out if words]

    def lexeme_sets(self, fields):
        """For the Python matcher: each field as a list of per-word lexeme sets."""
        return [[{w, *self.stems(w)} for w in words] for _, words in fields]

    def tsvectors(self, fields):
        """`tsvector` literals for the whole report and for its title alone.

        Each exact word and its stripped forms share a position, weighted.
        Lexemes carry their kind, so ranking can ask the GIN index (never the
        stored vectors, which are large) whether a word was printed as typed:
        ``^w`` an exact title word, ``w`` an exact body word (or name or
        translation), ``~s`` a stripped form from anywhere.
        """
        exact_weight = {"title": "A", "body": "B", "extra": "C"}
        stem_weight = {"title": "C", "body": "D", "extra": "D"}
        entries = {}  # lexeme -> {position: weight}
        size = 0  # what PostgreSQL will store, roughly; it refuses a vector over 1 MiB

        def add(lexeme, position, weight):
            nonlocal size
            positions = entries.get(lexeme)
            if positions is None:
                cost = len(lexeme.encode()) + LEXEME_OVERHEAD
                if size + cost > MAX_VECTOR_BYTES:
                    return  # a freakishly long report: its later new words go unindexed, not the report
                positions = entries[lexeme] = {}
                size += cost
            if position not in positions and len(positions) < MAX_POSITIONS_PER_LEXEME:
                positions[position] = weight
                size += 2

        title = ""
        position = 0
        for kind, words in fields:  # see field_starts(): the positions of each part
            position += 1  # a gap: phrases do not cross fields
            for word in words:
                position = min(position + 1, MAX_POSITION)
                add((TITLE_MARK if kind == "title" else "") + word, position, exact_weight[kind])
                for stem in self.stems(word):
                    add(STEM_MARK + stem, position, stem_weight[kind])
            if kind == "title":
                title = _literal(entries)
        return _literal(entries), title

    @staticmethod
    def lengths(fields):
        """(title words, body words, names' and translations' words): the parts of the index entry."""
        counts = {"title": 0, "body": 0, "extra": 0}
        for kind, words in fields:
            counts[kind] += len(words)
        return counts["title"], counts["body"], counts["extra"]

    def fts_columns(self, fields):
        """The four FTS5 columns as space-separated words: a title words, b their stripped forms,
        c body words (and names, translations), d their stripped forms."""
        columns = {"a": [], "b": [], "c": [], "d": []}
        for kind, words in fields:
            exact, stems = ("a", "b") if kind == "title" else ("c", "d")
            for word in words:
                columns[exact].append(word)
                columns[stems].extend(self.stems(word))
        return tuple(" ".join(columns[c]) for c in "abcd")


def field_starts(title_words, body_words):
    """The first position of the title and of the body in a `tsvector` of `Indexer.tsvectors`, and the
    first position after the body (names and translations follow). Each non-empty part is preceded
    by an unused position."""
    title = 2
    body = title + title_words + 1 if title_words else 2
    return title, body, body + body_words + (1 if body_words else 0)


def _literal(entries):
    """The `tsvector` literal of {lexeme: {position: weight}}; each lexeme's positions were added in rising
    order and at most MAX_POSITIONS_PER_LEXEME of them (`Indexer.tsvectors`), so they are written as they are."""
    parts = []
    numbers = _POSITIONS
    for lexeme, positions in entries.items():
        if "\\" in lexeme or "'" in lexeme:
            lexeme = lexeme.replace("\\", "\\\\").replace("'", "''")
        parts.append(f"'{lexeme}':" + ",".join([numbers[p] + w for p, w in positions.items()]))
    return " ".join(parts)


_POSITIONS = [str(n) for n in range(MAX_POSITION + 1)]


def document_texts(article_ids):
    """For each report: (title, body, names of its participants and places, quote translations)."""
    texts = {
        pk: (title, body, [], [])
        for pk, title, body in Article.objects.filter(pk__in=article_ids).values_list("pk", "title", "body")
    }
    names = defaultdict(set)
    for pk, name_ar, name_en in Participant.objects.filter(covered_in__in=article_ids).values_list(
        "covered_in", "name_ar", "name_en"
    ):
        names[pk].update(n for n in (name_ar, name_en) if n)
    for pk, alias in ParticipantAlias.objects.filter(participant__covered_in__in=article_ids).values_list(
        "participant__covered_in", "name"
    ):
        names[pk].add(alias)
    # places, by both names: those an editor linked in the text, and where the meetings it covers were held
    linked, hosting = (
        Place.objects.filter(**{f"{link}__in": article_ids}).values_list(link, "name_ar", "name_en").order_by()
        for link in ("mentions__article", "meetings__articles")
    )
    for pk, name_ar, name_en in linked.union(hosting, all=True):
        names[pk].update(n for n in (name_ar, name_en) if n)
    for pk, found in names.items():
        if pk in texts:
            texts[pk][2].extend(sorted(found))
    for pk, translation in (
        Quote.objects.filter(article_id__in=article_ids)
        .exclude(translation_en="")
        .values_list("article_id", "translation_en")
    ):
        if pk in texts:
            texts[pk][3].append(translation)
    return texts


def write(entries, indexer):
    """Store index entries {article_id: fields} (replacing what each report had)."""
    if not entries:
        return
    # DELETE and INSERT together on SQLite; inside the caller's transaction when there is one (no savepoint)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            vectors = [indexer.tsvectors(f) for f in entries.values()]
            titles, bodies, extras = zip(*[indexer.lengths(f) for f in entries.values()], strict=True)
            cursor.execute(
                "INSERT INTO articles_searchdocument (article_id, vector, title_vector, title_words, body_words, "
                "extra_words) "
                "SELECT a, CAST(v AS tsvector), CAST(t AS tsvector), tw, bw, ew "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::int[], %s::int[], %s::int[]) "
                "AS rows(a, v, t, tw, bw, ew) "
                "ON CONFLICT (article_id) DO UPDATE SET vector = EXCLUDED.vector, "
                "title_vector = EXCLUDED.title_vector, title_words = EXCLUDED.title_words, "
                "body_words = EXCLUDED.body_words, "
                "extra_words = EXCLUDED.extra_words",
                [list(entries), [v for v, _ in vectors], [t for _, t in vectors], *map(list, (titles, bodies, extras))],
            )
        else:
            ids = list(entries)
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({','.join(['%s'] * len(ids))})", ids)
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, a, b, c, d) VALUES (%s, %s, %s, %s, %s)",
                [(pk, *indexer.fts_columns(fields)) for pk, fields in entries.items()],
            )


def reindex(article_ids, indexer=None):
    """Bring the index entries of these reports up to date (a report gone is removed)."""
    article_ids = list(article_ids)
    if not article_ids:
        return
    indexer = indexer or Indexer()
    texts = document_texts(article_ids)
    write({pk: indexer.fields(*text) for pk, text in texts.items()}, indexer)
    remove(set(article_ids) - set(texts))


def remove(article_ids):
    article_ids = list(article_ids)
    if not article_ids:
        return
    with connection.cursor() as cursor:
        placeholders = ",".join(["%s"] * len(article_ids))
        if connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM articles_searchdocument WHERE article_id IN ({placeholders})", article_ids)
        else:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", article_ids)


def vacuum():
    """After a rebuild on PostgreSQL: clear the replaced entries and refresh the planner's figures.

    A rebuild rewrites every entry, which leaves as many dead ones and doubles
    the GIN index until autovacuum comes by. Meanwhile the planner, costing
    the swollen index, may prefer a sequential scan that decompresses every
    stored vector (measured: 10x slower at 100,000 reports). Returns whether
    it ran (it cannot inside a transaction, as in a migration).
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE articles_searchdocument")
    return True


def rebuild(batch_size=1000, progress=sys.stderr):
    """Write the whole index again from the reports; returns how many were indexed.

    Entries are replaced batch by batch (never emptied first), so search keeps
    working while the index is rebuilt.
    """
    indexer = Indexer()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        reindex(chunk, indexer)
        done += len(chunk)
        if progress is not None:
            progress.write(f"indexed {done}/{len(ids)} reports\n")
            progress.flush()
    # entries of reports deleted without their signal (a raw DELETE): only the FTS5 table can keep them
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid NOT IN (SELECT id FROM articles_article)")
    return done


def name_words(alias):
    """A normalised alias as the index's words (`al-assad` is `al`, `assad`)."""
    return [t.norm for t in tokenize(alias)]


def protected_forms(alias, kind):
    """Words of a name that stemming must leave whole: a one-word alias, a person's surname."""
    parts = name_words(alias)
    if len(parts) == 1:
        return parts
    return parts[-1:] if kind == "person" else []

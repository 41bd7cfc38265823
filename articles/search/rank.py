"""Ranking the best matches the way a researcher judges them: rarity, proximity, field, kind of match.

The database finds every match and orders it by cheap tiers (`articles.search`);
the first :data:`HEAD` of them are then read again here, word by word, and
ordered by a BM25-like score:

- **rarity**: each clause (a word, a phrase, a name, an OR group) weighs its
  inverse document frequency, ``ln(1 + (N - df + 0.5) / (df + 0.5))``, with
  ``df`` counted by the index (capped at :data:`DF_CAP`: beyond that every
  word is "common" alike) — a rare word outweighs a common one;
- **how often, where** (BM25F): the clause's matches are counted in each
  field, normalised by the field's length against its average among the
  matches (``b`` 0.75), weighted by field — the title :data:`FIELD_WEIGHTS`
  ``title`` times the body, the names and places the report involves
  (``extra``) as much as the body — and the sum saturates (``k1`` 1.2), so a
  word in the title does not outweigh a report that is about it throughout;
- **kind of match**: a word printed as typed (or as a synonym, or as one of a
  participant's names) counts 1; another form of it (a clitic, a plural)
  0.6; a word of the same verb family, an Arabic spelling of a Latin word
  (`articles.arabic.translit`) 0.4 — so an alias match ranks above a
  transliteration; a word that meets the typed one only once a final ta
  marbuta is cut from one of them, usually another noun (سلامة "safety" /
  سلام, السلام, للسلام "peace"), 0.1;
- **proximity**: when the query has several clauses, a report where they
  stand one after the other in the order typed, at one place (the phrase the
  researcher meant, unquoted: the longest such run counts), and close
  together gains up to five times the mean rarity of its clauses.

Ties keep the database's order (tiers, then date): they are rare once the
score counts frequency, rarity and proximity.

The head's words are read by :func:`head_fields`: on PostgreSQL, only the
positions of the query's lexemes, from the stored index entries.
"""

from __future__ import annotations

import math
from itertools import chain

from django.db import connection

from articles.search.index import (
    FTS_TABLE,
    STEM_MARK,
    TITLE_MARK,
    Indexer,
    document_texts,
    field_starts,
    load_protected,
)

HEAD = 40
ADJ = 4.0  # proximity: the bonus for clauses standing next to each other, in mean rarities
DF_CAP = 2000
K1, B = 1.2, 0.75
FIELD_WEIGHTS = {"title": 3.0, "body": 1.0, "extra": 1.0}
TYPED, FORM, WEAK, OTHER_NOUN = 1.0, 0.6, 0.4, 0.1


def document_frequencies(parsed):
    """(number of reports, {clause: reports matching it, at most DF_CAP}) in one statement."""
    clauses = list(parsed.positive)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            parts = [
                "(SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = 'articles_searchdocument'::regclass)"
            ]
            # each match set as a MATERIALIZED CTE: planned like the search itself (a GIN bitmap scan),
            # never as "LIMIT n" over a sequential scan that decompresses every stored vector, and read
            # lazily, so the count stops at DF_CAP rows
            ctes = ", ".join(
                f"m{i} AS MATERIALIZED (SELECT 1 FROM articles_searchdocument WHERE vector @@ CAST(%s AS tsquery))"
                for i in range(len(clauses))
            )
            parts += [
                f"(SELECT count(*) FROM (SELECT 1 FROM m{i} LIMIT {DF_CAP}) AS s{i})" for i in range(len(clauses))
            ]
            cursor.execute(f"WITH {ctes} SELECT " + ", ".join(parts), [parsed.clause_tsquery(c) for c in clauses])
        else:
            parts = [f"(SELECT count(*) FROM {FTS_TABLE})"]
            parts += [
                f"(SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT {DF_CAP}))"
                for _ in clauses
            ]
            cursor.execute("SELECT " + ", ".join(parts), [parsed.clause_fts5(c) for c in clauses])
        row = cursor.fetchone()
    total = max(int(row[0] or 0), max(row[1:], default=0), 1)
    return total, dict(zip(clauses, row[1:], strict=True))


def printed(lexemes):
    """Which of `lexemes` (exact words, as a query lists them) the index holds, in one statement.

    Used to prune the Arabic spellings of a Latin word before searching: PostgreSQL prices a
    query of many lexemes as matching half the archive and reads every stored vector.
    """
    lexemes = sorted(lexemes)
    if not lexemes:
        return set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ctes = ", ".join(
                f"e{i} AS MATERIALIZED (SELECT 1 FROM articles_searchdocument WHERE vector @@ CAST(%s AS tsquery))"
                for i in range(len(lexemes))
            )
            found = ", ".join(f"EXISTS (SELECT 1 FROM e{i})" for i in range(len(lexemes)))
            cursor.execute(f"WITH {ctes} SELECT {found}", [_ts_any(x) for x in lexemes])
        else:
            found = ", ".join(f"EXISTS (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)" for _ in lexemes)
            cursor.execute(f"SELECT {found}", ['"' + x.replace('"', '""') + '"' for x in lexemes])
        row = cursor.fetchone()
    return {x for x, hit in zip(lexemes, row, strict=True) if hit}


def _ts_any(lexeme):
    quoted = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{TITLE_MARK}{quoted}' | '{quoted}' | '{STEM_MARK}{quoted}'"


def idf(total, df):
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


def _word_weight(word, lexemes, slot):
    if word in slot.spellings:
        return TYPED
    shared = lexemes & slot.lexemes
    if not shared:
        return 0.0
    if all(_ta_marbuta_apart(s, lexemes, slot.lexemes - slot.weak) for s in shared):
        # the typed word with or without a final ta marbuta is usually another noun: سلامة "safety" /
        # سلام "peace" (and السلام, للسلام: clitics do not change that), رياضة "sport" / رياض; it still
        # matches, ranked below everything else
        return OTHER_NOUN
    return WEAK if shared <= slot.weak else FORM


def _ta_marbuta_apart(shared, report, query):
    """Whether the two words meet at `shared` only because one side's final ta marbuta was cut
    (`query`: the typed word's own forms, not its verb family's)."""
    longer = shared + "ه"
    return (longer in query) != (longer in report)


def _clause_hits(clause, field):
    """[(position of the last word, weight)] of every place in `field` the clause matches.

    `field` is (number of words, {position: (word, lexemes)} of the words that meet the query).
    """
    _, matched = field
    hits = {}
    for sequence in clause.sequences:
        n = len(sequence)
        for i in matched:
            weight = TYPED
            for j, slot in enumerate(sequence):
                found = matched.get(i + j)
                weight = min(weight, _word_weight(*found, slot)) if found else 0.0
                if not weight:
                    break
            if weight and weight > hits.get(i + n - 1, 0.0):
                hits[i + n - 1] = weight
    return sorted(hits.items())


class _Stems:
    """Stripped forms of report words, kept between searches while the protected names are the same."""

    def __init__(self):
        self.protected, self.indexer = None, None

    def get(self):
        protected = load_protected()
        if protected != self.protected or len(self.indexer._stems) > 200_000:
            self.protected, self.indexer = protected, Indexer(protected=protected)
        return self.indexer


_stems = _Stems()


def head_fields(ids, wanted):
    """{report id: {field: (number of words, {position: (word, lexemes)})}} for the words of `ids` that
    have a lexeme in `wanted`; fields are the title, the body and the names and translations.

    Only what ranking needs is kept of each word: its lexemes among `wanted` and those with a final
    ta marbuta added (:func:`_asked`), and the word itself when it is one of them (else None). On
    PostgreSQL they are read from the stored index entries (only those lexemes leave the database,
    and nothing is tokenised again); SQLite, and reports whose entries were written before the field
    lengths were kept, read and tokenise the texts as the index did. Both give the same.
    """
    asked = _asked(wanted)
    docs = _vector_fields(ids, wanted, asked) if connection.vendor == "postgresql" else {}
    rest = [pk for pk in ids if pk not in docs]
    if rest:
        indexer = _stems.get()
        texts = document_texts(rest)
        docs.update({pk: _text_fields(indexer, texts[pk], wanted, asked) for pk in rest if pk in texts})
    return docs


def _asked(wanted):
    # the typed words' forms, and each with a final ta marbuta (to tell سلام from سلامة: _word_weight)
    return frozenset(wanted) | {x + "ه" for x in wanted}


def _text_fields(indexer, text, wanted, asked=None):
    asked = _asked(wanted) if asked is None else asked
    parts = indexer.fields(*text)
    out = {kind: [0, {}] for kind in ("title", "body", "extra")}
    for kind, found in parts:
        field = out[kind]
        start = field[0] + (1 if kind == "extra" and field[0] else 0)  # names and translations: a gap between
        for i, w in enumerate(found, start):
            stems = indexer.stems(w)
            if w in wanted or not wanted.isdisjoint(stems):
                field[1][i] = (w if w in asked else None, frozenset((w, *stems)) & asked)
        field[0] = start + len(found)
    lengths = dict(zip(out, indexer.lengths(parts), strict=True))
    return {kind: (lengths[kind], matched) for kind, (_, matched) in out.items()}


def _vector_fields(ids, wanted, asked):
    lexemes = sorted(chain.from_iterable((TITLE_MARK + x, x, STEM_MARK + x) for x in asked))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.article_id, d.title_words, d.body_words, d.extra_words, u.lexeme, u.positions "
            "FROM articles_searchdocument d LEFT JOIN LATERAL unnest(d.vector) AS u ON u.lexeme = ANY(%s) "
            "WHERE d.article_id = ANY(%s) AND d.title_words IS NOT NULL",
            [lexemes, list(ids)],
        )
        rows = cursor.fetchall()
    found = {}
    for pk, title_words, body_words, extra_words, lexeme, positions in rows:
        if pk not in found:
            starts = field_starts(title_words, body_words)
            found[pk] = (starts, {"title": title_words, "body": body_words, "extra": extra_words}, {})
        if lexeme is None:
            continue
        (title_at, body_at, extra_at), _, words_at = found[pk]
        exact = lexeme[0] != STEM_MARK
        bare = lexeme[1:] if lexeme[0] in (TITLE_MARK, STEM_MARK) else lexeme
        for p in positions:
            if p >= extra_at:
                key = ("extra", p - extra_at)
            elif p >= body_at:
                key = ("body", p - body_at)
            else:
                key = ("title", p - title_at)
            word_forms = words_at.setdefault(key, [None, set()])
            word_forms[1].add(bare)
            if exact:
                word_forms[0] = bare
    out = {}
    for pk, (_, lengths, words_at) in found.items():
        fields = {kind: (n, {}) for kind, n in lengths.items()}
        for (kind, i), (word, forms) in words_at.items():
            if not wanted.isdisjoint(forms):
                fields[kind][1][i] = (word, frozenset(forms))
        out[pk] = fields
    return out


def _proximity(clauses, fields):
    """How close the clauses stand, in title or body: (adjacent pairs in typed order / pairs, clauses / window)."""
    best_adjacent, best_window = 0.0, 0.0
    for kind in ("title", "body"):
        positions = [{p for p, _ in _clause_hits(c, fields[kind])} for c in clauses]
        if not all(positions):
            continue
        adjacent = _longest_chain(clauses, positions) - 1
        best_adjacent = max(best_adjacent, adjacent / (len(clauses) - 1))
        best_window = max(best_window, len(clauses) / _smallest_window(positions))
    return best_adjacent, best_window


def _longest_chain(clauses, positions):
    """The most clauses printed one after the other in the order typed, at one place (1 when none are)."""
    best, run = 1, dict.fromkeys(positions[0], 1)
    for k in range(1, len(clauses)):
        step = len(clauses[k].sequences[0])
        run = {p: run.get(p - step, 0) + 1 for p in positions[k]}
        best = max(best, *run.values())
    return best


def _smallest_window(positions):
    """The fewest consecutive words holding one position of every set."""
    events = sorted((p, k) for k, ps in enumerate(positions) for p in ps)
    need, count, have, best, j = len(positions), {}, 0, math.inf, 0
    for p, k in events:
        count[k] = count.get(k, 0) + 1
        have += count[k] == 1
        while have == need:
            q, m = events[j]
            best = min(best, p - q + 1)
            count[m] -= 1
            have -= count[m] == 0
            j += 1
    return best


def rerank(parsed, ids, frequencies=None):
    """`ids` (the database's order) reordered by the score above; returns the new list."""
    if len(ids) < 2:
        return list(ids)
    clauses = list(parsed.positive)
    total, df = frequencies or document_frequencies(parsed)
    weights = {c: idf(total, df.get(c, 1)) for c in clauses}
    docs = head_fields(ids, parsed.lexemes())
    average = {kind: max(1.0, sum(d[kind][0] for d in docs.values()) / max(1, len(docs))) for kind in FIELD_WEIGHTS}
    mean_weight = sum(weights.values()) / max(1, len(weights))
    scores = {}
    for pk, fields in docs.items():
        score = 0.0
        for clause in clauses:
            # BM25F: the fields' weighted, length-normalised counts add up before saturating, so a title
            # word does not outweigh a report that is about the word throughout
            tf = sum(
                FIELD_WEIGHTS[kind]
                * sum(w for _, w in _clause_hits(clause, field))
                / (1 - B + B * field[0] / average[kind])
                for kind, field in fields.items()
                if field[1]
            )
            score += weights[clause] * tf * (K1 + 1) / (tf + K1)
        if len(clauses) > 1:
            adjacent, closeness = _proximity(clauses, fields)
            score += mean_weight * (ADJ * adjacent + 1.0 * closeness)
        scores[pk] = score
    place = {pk: i for i, pk in enumerate(ids)}
    return sorted(ids, key=lambda pk: (-scores.get(pk, 0.0), place[pk]))

"""Reading what a researcher typed: the query language, expanded into index terms.

A query is made of

- words, all of which must match (``لافروف جنيف``);
- ``"phrases"`` (also ``«…»`` and ``“…”``), whose words must follow each other;
  a quote left open runs to the end of the query;
- ``OR`` (in capitals) between two words or phrases: either will do. ``OR``
  binds tighter than the implicit AND: ``كيري سوريا OR لبنان`` is
  ``كيري AND (سوريا OR لبنان)``;
- ``-word`` or ``-"a phrase"``: reports containing it are left out.

Every word is normalised and tokenised by the toolkit exactly as the text is
indexed, then widened into *lexemes* (the strings stored in the index):

1. its variant spellings (`articles.arabic.expand` over the built-in groups
   and the editors' `Synonym` table);
2. the exact and stripped forms of each (`articles.arabic.forms`), with the
   names of known participants protected from stripping;
3. when it names a known participant (an alias, or the surname of a person's
   longer alias, in either script), that participant's other names.

A word matches a report word when their lexemes meet (the rule of
`articles/arabic/stem.py`): the report side is indexed with its exact word
and stripped forms, so the query side only has to list its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from django.db.models import Q
from django.utils.translation import gettext as _

from articles.arabic import COMMON_WORD_NAMES, arabic_spellings, derived_forms, expand, forms, is_latin_word, tokenize
from articles.models import Synonym
from articles.search.index import STEM_MARK, TITLE_MARK, name_words, protected_forms
from diplomacy.models import Participant, ParticipantAlias

MAX_QUERY_LENGTH = 500
MAX_TERMS = 32
QUOTE_MARKS = frozenset('"“”«»„')
OR = object()


class QueryError(ValueError):
    """A query that cannot be run; the message says why, for the user."""


@dataclass(frozen=True)
class Slot:
    """One word position of a query: the lexemes any of which may fill it.

    ``spellings`` are the word as typed and its variant spellings (normalised),
    used to rank exact spelling first and to highlight.
    """

    lexemes: frozenset[str]
    spellings: frozenset[str]
    weak: frozenset[str] = frozenset()  # among lexemes: transliterations and derived forms, ranked lowest


@dataclass(frozen=True)
class Clause:
    """Words or phrases joined by OR (``sequences``), or one excluded (``negated``)."""

    sequences: tuple[tuple[Slot, ...], ...]
    negated: bool = False
    spellings: frozenset[str] = frozenset()  # the words as typed (and their variant spellings)

    @property
    def has_phrase(self):
        return any(len(seq) > 1 for seq in self.sequences)


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]

    @property
    def positive(self):
        return [c for c in self.clauses if not c.negated]

    @property
    def negative(self):
        return [c for c in self.clauses if c.negated]

    @property
    def has_phrase(self):
        return any(c.has_phrase for c in self.clauses)

    def spellings(self):
        """The words looked for as typed, with their variant spellings: matching them ranks higher."""
        return frozenset(chain.from_iterable(c.spellings for c in self.positive))

    def ranking_tsqueries(self):
        """For ranking: (typed word in the title, typed word in the body, any form in the title).

        The first and last are asked of the small title vector, the second of
        the GIN index (plain lexemes are exact body words; see
        `articles.search.index.Indexer.tsvectors`).
        """
        typed = sorted(self.spellings())
        title_any = sorted(self.lexemes())
        return (
            _or_ts(TITLE_MARK + t for t in typed),
            _or_ts(typed),
            _or_ts(chain.from_iterable((TITLE_MARK + f, STEM_MARK + f) for f in title_any)),
        )

    def lexemes(self):
        """Every lexeme of the words looked for (not of the excluded ones): what a snippet highlights."""
        return frozenset(
            chain.from_iterable(slot.lexemes for c in self.positive for seq in c.sequences for slot in seq)
        )

    # -- PostgreSQL -------------------------------------------------------------------------------

    def tsquery(self, exact=True):
        """The query as `tsquery` text, lexemes quoted (cast with ``CAST(%s AS tsquery)``).

        With ``exact=False``, a looser query that the GIN index answers alone,
        never reading a stored vector: phrases as all their words anywhere,
        exclusions left out. Everything the exact query matches, it matches.
        """
        parts = [_ts_clause(c, " <-> " if exact else " & ") for c in self.positive]
        if exact:
            parts += [f"!{_ts_clause(c)}" for c in self.negative]
        return " & ".join(parts)

    def latin_spellings(self):
        """The Arabic spellings of the words typed in Latin letters (among the slots' weak lexemes)."""
        return frozenset(
            x
            for c in self.clauses
            for seq in c.sequences
            for slot in seq
            if any(is_latin_word(w) for w in slot.spellings)
            for x in slot.weak
        )

    def keeping(self, spellings):
        """The same query with only these Arabic spellings of its Latin words."""
        unwanted = self.latin_spellings() - frozenset(spellings)

        def prune(slot):
            if unwanted.isdisjoint(slot.weak):
                return slot
            return Slot(slot.lexemes - unwanted, slot.spellings, slot.weak - unwanted)

        return ParsedQuery(
            tuple(
                Clause(tuple(tuple(prune(s) for s in seq) for seq in c.sequences), c.negated, c.spellings)
                for c in self.clauses
            )
        )

    def without(self, dropped):
        """The same query without some of its clauses."""
        return ParsedQuery(tuple(c for c in self.clauses if c not in dropped))

    @staticmethod
    def clause_tsquery(clause):
        """One clause as `tsquery` text the GIN index answers alone (phrases as all their words)."""
        return _ts_clause(clause, " & ")

    @staticmethod
    def clause_fts5(clause):
        return _fts_clause(clause)

    # -- SQLite FTS5 ------------------------------------------------------------------------------

    def fts5(self):
        """An FTS5 MATCH expression that finds every match (and, with phrases, a few more).

        FTS5 stores one token per position, so the stripped forms cannot share
        the exact word's position; phrases are therefore looked up as "all
        their words" here and checked word by word in Python (`matches`).
        """
        parts = [_fts_clause(c) for c in self.positive]
        expression = " AND ".join(parts)
        for clause in self.negative:
            if not clause.has_phrase:
                expression += f" NOT {_fts_clause(clause)}"
        return expression

    def matches(self, fields):
        """Whether a report, given as lists of per-word lexeme sets (one list a field), matches."""

        def found(clause):
            return any(_sequence_in(seq, field) for seq in clause.sequences for field in fields)

        return all(found(c) for c in self.positive) and not any(found(c) for c in self.negative)


def _quote_ts(lexeme):
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _or_ts(lexemes):
    return " | ".join(_quote_ts(x) for x in lexemes)


def _ts_slot(slot):
    """Any form, printed in the title (``^``), in the body, or stripped (``~``)."""
    return "(" + _or_ts(chain.from_iterable((TITLE_MARK + f, f, STEM_MARK + f) for f in sorted(slot.lexemes))) + ")"


def _ts_clause(clause, joiner=" <-> "):
    return "(" + " | ".join("(" + joiner.join(_ts_slot(s) for s in seq) + ")" for seq in clause.sequences) + ")"


def _quote_fts(lexeme):
    return '"' + lexeme.replace('"', '""') + '"'


def _fts_slot(slot):
    return "(" + " OR ".join(_quote_fts(x) for x in sorted(slot.lexemes)) + ")"


def _fts_clause(clause):
    return "(" + " OR ".join("(" + " AND ".join(_fts_slot(s) for s in seq) + ")" for seq in clause.sequences) + ")"


def _sequence_in(sequence, field):
    n = len(sequence)
    for i in range(len(field) - n + 1):
        if all(not slot.lexemes.isdisjoint(field[i + j]) for j, slot in enumerate(sequence)):
            return True
    return False


# -- Reading the text -----------------------------------------------------------------------------


@dataclass
class _Unit:
    words: list[str]  # normalised tokens
    negated: bool
    quoted: bool


def _lex(q):
    """Split the query into units (a word or a quoted phrase, maybe negated) and OR markers."""
    items, i, n = [], 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        negated = q[i] == "-" and i + 1 < n and not q[i + 1].isspace()
        if negated:
            i += 1
        if q[i] in QUOTE_MARKS:
            j = i + 1
            while j < n and q[j] not in QUOTE_MARKS:
                j += 1
            items.append(_Unit([t.norm for t in tokenize(q[i + 1 : j])], negated, quoted=True))
            i = j + 1
            continue
        j = i
        while j < n and not q[j].isspace() and q[j] not in QUOTE_MARKS:
            j += 1
        text = q[i:j]
        if text == "OR" and not negated:
            items.append(OR)
        else:
            items.append(_Unit([t.norm for t in tokenize(text)], negated, quoted=False))
        i = j
    return items


def _group(items):
    """Join units around OR into groups; drop units with no words and stray ORs."""
    groups, pending_or = [], False
    for item in items:
        if item is OR:
            pending_or = bool(groups)
            continue
        if not item.words:
            continue
        if pending_or:
            if item.negated or groups[-1][0].negated:
                raise QueryError(_("OR joins words to look for; an excluded word (-word) cannot be one side of it."))
            groups[-1].append(item)
        else:
            groups.append([item])
        pending_or = False
    return groups


def check(q):
    """Refuse what no search can run; the message says why."""
    if "\x00" in q:
        raise QueryError(_("The query contains a NUL character."))
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(_("The query is longer than %(n)s characters.") % {"n": MAX_QUERY_LENGTH})


def parse(q, lexicon=None):
    """Read `q` into a `ParsedQuery`, or None when it holds no words at all.

    `lexicon` supplies synonyms and participant names (`Lexicon.load`); by
    default it is looked up in the database for the words of this query.
    """
    check(q)
    groups = _group(_lex(q))
    if not groups:
        return None
    if all(g[0].negated for g in groups):
        raise QueryError(_("Add at least one word to look for: a query cannot only exclude words."))
    if len(groups) > MAX_TERMS or sum(len(u.words) for g in groups for u in g) > MAX_TERMS * 2:
        raise QueryError(_("The query has more than %(n)s words; please shorten it.") % {"n": MAX_TERMS})
    if lexicon is None:
        lexicon = Lexicon.load(u.words for g in groups for u in g)
    groups = _join_names(groups, lexicon)
    clauses = []
    for group in groups:
        per_unit = [lexicon.sequences(u.words) for u in group]
        sequences = list(dict.fromkeys(chain.from_iterable(per_unit)))
        typed = frozenset(chain.from_iterable(slot.spellings for seqs in per_unit for slot in seqs[0]))
        clauses.append(Clause(tuple(sequences), negated=group[0].negated, spellings=typed))
    return ParsedQuery(tuple(clauses))


def _join_names(groups, lexicon):
    """Bare consecutive words that together spell a known name become one phrase (`Sergey Lavrov`)."""
    out, i = [], 0
    while i < len(groups):
        for size in (3, 2):
            run = groups[i : i + size]
            if len(run) == size and all(len(g) == 1 and not g[0].quoted and not g[0].negated for g in run):
                words = [w for g in run for w in g[0].words]
                if lexicon.participants_named(words):
                    out.append([_Unit(words, negated=False, quoted=False)])
                    i += size
                    break
        else:
            out.append(groups[i])
            i += 1
    return out


# -- Synonyms and names ---------------------------------------------------------------------------


class Lexicon:
    """What the database knows that widens a query: editors' synonyms and participants' names.

    `load` reads only what concerns the words of one query (two queries:
    synonyms, then the names of the participants those words name).
    """

    def __init__(self, synonym_groups=(), aliases=()):
        # aliases: (participant_id, kind, normalised alias)
        self.synonym_groups = tuple(tuple(g) for g in synonym_groups)
        self.names = {}
        self.kind = {}
        for pid, kind, alias in aliases:
            self.names.setdefault(pid, []).append(alias)
            self.kind[pid] = kind
        self.protected = frozenset(
            chain.from_iterable(protected_forms(alias, self.kind[pid]) for pid, a in self.names.items() for alias in a)
        )

    @classmethod
    def load(cls, word_lists):
        word_lists = [list(w) for w in word_lists]
        candidates = set()
        for words in word_lists:
            candidates.add(" ".join(words))
            for w in words:
                candidates |= forms(w)
        for words in word_lists:  # consecutive words that may spell a longer name
            for size in (2, 3):
                candidates |= {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}
        flat = [w for words in word_lists for w in words]
        for size in (2, 3):
            candidates |= {" ".join(flat[i : i + size]) for i in range(len(flat) - size + 1)}
        synonyms = [s.spellings() for s in Synonym.objects.all()]
        surname = Q()
        for c in candidates:
            if " " not in c:
                surname |= Q(normalized__endswith=" " + c) | Q(normalized__endswith="-" + c)
        named = Q(normalized__in=candidates) | (Q(participant__kind=Participant.Kind.PERSON) & surname)
        rows = ParticipantAlias.objects.filter(
            participant__in=ParticipantAlias.objects.filter(named).values("participant_id")
        ).values_list("participant_id", "participant__kind", "normalized")
        return cls(synonyms, rows)

    def participants_named(self, words):
        """Participants one of whose names `words` is (an alias, or a person's surname)."""
        found = set()
        for pid, aliases in self.names.items():
            for alias in aliases:
                parts = name_words(alias)
                if parts == list(words) or (
                    len(words) == 1 and self.kind[pid] == "person" and len(parts) > 1 and parts[-1] == words[0]
                ):
                    found.add(pid)
        return found

    def slot(self, word, widen=True):
        """The lexemes of one query word: its spellings' forms, then (ranked lowest) the forms of the
        same verb family (`تفاوض` -> `مفاوضات`) and, for a word in Latin letters, its Arabic spellings."""
        spellings = frozenset(expand(word, self.synonym_groups or None))
        lexemes = frozenset(chain.from_iterable(forms(s, self.protected) for s in spellings))
        weak = set(chain.from_iterable(derived_forms(s, self.protected) for s in spellings)) if widen else set()
        if widen and is_latin_word(word):
            weak.update(arabic_spellings(word))
        weak = frozenset(weak - lexemes)
        return Slot(lexemes | weak, spellings, weak)

    def sequences(self, words):
        """The ways `words` may be written: as typed, and every name of the participant they name."""
        out = [tuple(self.slot(w) for w in words)]
        named = self.participants_named(words)
        if not named and len(words) == 1:
            # a name behind proclitics (ولافروف); never one reached by cutting an ending, which makes
            # another word (سلامة "safety" -> سلام, the surname of Tammam Salam)
            clitics_off = [f for f in forms(words[0], self.protected) if words[0].endswith(f)]
            named = set().union(*(self.participants_named([f]) for f in clitics_off))
        common = {
            pid
            for pid in named
            if any(len(p) > 1 and p[-1] in COMMON_WORD_NAMES for p in map(name_words, self.names[pid]))
        }
        for pid in sorted(named):
            for alias in sorted(set(self.names[pid])):
                parts = name_words(alias)
                if not parts:
                    continue
                if self.kind[pid] == "person" and len(parts) > 1 and (len(words) == 1 or pid not in common):
                    # the surname alone also finds the full name, unless a full name was typed and the
                    # surname is a common word (تمام سلام must not widen to سلام, "peace")
                    parts = parts[-1:]
                out.append(tuple(self.slot(p, widen=False) for p in parts))  # a name: as recorded
        return list(dict.fromkeys(out))

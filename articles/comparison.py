"""One event across outlets: the reports covering a meeting side by side.

Reports that carry the same text (copies of one wire story, `articles.duplicates`) are one
column, with the copies named. For each column: what it quoted and whom it named; a quote is
matched with the others' quotes by its words (normalised, so spelling and clitics do not
matter), so the page can say where outlets agree and which outlet quotes what no other does.
"""

from dataclasses import dataclass, field

from django.db.models import F, Prefetch

from articles.arabic import stem_forms
from articles.duplicates import copy_groups, words
from articles.models import Mention, Quote

# Two quotes report the same words when this share of the shorter one's words is in the other.
SAME_WORDS = 0.6


@dataclass
class Column:
    article: object
    copies: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    named: list = field(default_factory=list)


@dataclass
class Comparison:
    columns: list
    named_by_all: list
    speakers: list  # (participant, number of columns quoting them)

    @property
    def articles(self):
        return [a for column in self.columns for a in (column.article, *column.copies)]


def _terms(text):
    return {min([w, *stem_forms(w, frozenset())], key=len) for w in words(text)}


def _same_words(a, b):
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= SAME_WORDS


def outlet_comparison(meeting, reports):
    """The reports among `reports` (a visible Article queryset) that cover `meeting`, compared.

    Three queries: the reports with their outlets, their quotes with speakers and addressees,
    and their mentions of people (plus one for the copies' signatures).
    """
    articles = list(
        reports.filter(meetings=meeting)
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "quotes",
                queryset=Quote.objects.select_related("speaker", "addressee").order_by("start"),
                to_attr="compared_quotes",
            ),
            Prefetch(
                "mentions",
                queryset=Mention.objects.filter(participant__isnull=False).select_related("participant"),
                to_attr="compared_mentions",
            ),
        )
        .order_by(F("published").asc(nulls_last=True), "id")
    )
    by_id = {a.pk: a for a in articles}
    columns = []
    for group in copy_groups([a.pk for a in articles]):
        first, *copies = (by_id[pk] for pk in group)
        named = {}
        for quote in first.compared_quotes:
            for person in (quote.speaker, quote.addressee):
                if person is not None:
                    named.setdefault(person.pk, person)
            quote.terms = _terms(quote.text)
        for mention in first.compared_mentions:
            named.setdefault(mention.participant_id, mention.participant)
        columns.append(Column(first, copies, list(first.compared_quotes), sorted(named.values(), key=str)))
    for column in columns:
        for quote in column.quotes:
            quote.echoed_in = [
                other.article
                for other in columns
                if other is not column and any(_same_words(quote.terms, q.terms) for q in other.quotes)
            ]
            quote.only_here = len(columns) > 1 and not quote.echoed_in
    named_sets = [{p.pk for p in column.named} for column in columns]
    common = set.intersection(*named_sets) if named_sets else set()
    for column in columns:
        for person in column.named:
            person.named_by_all = person.pk in common
    speakers = {}
    for column in columns:
        for person in {q.speaker for q in column.quotes if q.speaker is not None}:
            speakers.setdefault(person.pk, [person, 0])[1] += 1
    named_by_all = [p for p in columns[0].named if p.pk in common] if columns else []
    ranked = sorted(speakers.values(), key=lambda pair: (-pair[1], str(pair[0])))
    return Comparison(columns, named_by_all, [tuple(pair) for pair in ranked])

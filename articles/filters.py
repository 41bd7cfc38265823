"""Filtering the archive's reports: one FilterSet for the public pages and the API, and facet counts.

Every filter is written out; values are slugs and ISO codes, so URLs are
readable and bookmarkable (`?participant=kerry&topic=syria-war`). Repeating a
person, topic, meeting or agreement asks for reports that have all of them;
repeating a source or a country asks for any of them.
"""

import hashlib
import json
import math
from collections import Counter
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from articles import derived
from articles.models import Article, Quote, Source, visible_records
from articles.search import search, search_quotes
from diplomacy.countries import ISO_3166_ALPHA2
from diplomacy.models import Agreement, Meeting, Participant, Topic


class RecordIdFilter(django_filters.ModelMultipleChoiceFilter):
    """A record chosen by slug, filtered on its id: `speaker_id = 7`, not a join to the people by slug.

    The form has already looked the slugs up (to refuse an unknown one), so the query needs only the
    ids; on the ledger this lets PostgreSQL read a speaker's newest quotes from one index range
    (`quote_speaker_newest`), where a join by slug made it read and sort all of them.
    """

    def get_filter_predicate(self, v):
        return {self.field_name.removesuffix("__slug"): v.pk}


def record_slugs(field_name, model, label, conjoined, distinct=True, by_id=False, **extra):
    """A repeatable filter choosing records of `model` by slug, through `field_name` (the lists, the
    ledger and the API build theirs with it). `by_id`: filter on the record's id (`RecordIdFilter`)."""
    return (RecordIdFilter if by_id else django_filters.ModelMultipleChoiceFilter)(
        field_name=f"{field_name}__slug",
        to_field_name="slug",
        queryset=model.objects.all(),
        conjoined=conjoined,
        label=label,
        distinct=distinct,
        **extra,
    )


def _ids(field_name, model, label, conjoined):
    return record_slugs(field_name, model, label, conjoined, distinct=False, by_id=True)


RECORD_FILTERS = {
    "participant": Participant,
    "topic": Topic,
    "source": Source,
    "meeting": Meeting,
    "agreement": Agreement,
}


class ArchiveFilterSet(django_filters.FilterSet):
    """What the archive's own FilterSets share (reports, and the quote ledger).

    An empty value (`?participant=&topic=syria-war`, as a form or a client may send) is no
    filter, not an error. A record filter accepts only the records the reader may see
    (`visible_records`): a record known only from unpublished reports is refused exactly as an
    unknown slug is (400, the same message), so its slug cannot be probed. No request (the
    charts): the public's view.
    """

    LISTS = ()  # parameters whose empty values are dropped
    RECORDS = {}  # filter name → the model of the records it chooses from

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            for name in self.LISTS:
                values = [value for value in data.getlist(name) if value.strip()]
                if values:
                    data.setlist(name, values)
                else:
                    data.pop(name, None)
        super().__init__(data, *args, **kwargs)
        user = getattr(self.request, "user", None)
        for name, model in self.RECORDS.items():
            if name in self.filters:  # a narrower FilterSet (the charts') leaves some out
                self.filters[name].queryset = visible_records(model, user)


class ArticleFilter(ArchiveFilterSet):
    LISTS = ("participant", "country", "topic", "source", "meeting", "agreement")
    RECORDS = RECORD_FILTERS

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=500)
    # A conjoined filter joins a link table once a value, and a link table holds a pair once: no
    # report comes twice, so no DISTINCT (which would sort every match before the page is cut).
    participant = record_slugs("participants", Participant, _("Person or party"), conjoined=True, distinct=False)
    country = django_filters.MultipleChoiceFilter(
        field_name="participants__country",
        choices=[(code, code) for code in sorted(ISO_3166_ALPHA2)],
        label=_("Country"),
        distinct=True,
    )
    topic = record_slugs("topics", Topic, _("Topic"), conjoined=True, distinct=False)
    source = record_slugs("source", Source, _("Source"), conjoined=False, distinct=False)  # a column: no join
    meeting = record_slugs("meetings", Meeting, _("Meeting"), conjoined=True, distinct=False)
    agreement = record_slugs("agreements", Agreement, _("Agreement"), conjoined=True, distinct=False)
    published_after = django_filters.DateFilter(
        field_name="dated",
        lookup_expr="gte",
        label=_("Published on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    published_before = django_filters.DateFilter(
        field_name="dated",
        lookup_expr="lte",
        label=_("Published on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Article
        fields = [
            "q",
            "participant",
            "country",
            "topic",
            "source",
            "meeting",
            "agreement",
            "published_after",
            "published_before",
        ]

    def filter_q(self, queryset, name, value):
        return search(queryset, value) if value.strip() else queryset


class UnknownSort(ValueError):
    """A `sort` value that is not one of SORTS."""


# The orders a reader can ask for (`?sort=`), in the order they are offered. "relevance" is the search
# service's rank and only means something with words to find; without them it reads as "newest".
SORTS = {
    "relevance": _("Best match"),
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "source": _("Source"),
}


def sort_reports(queryset, sort, *, searching, language):
    """`queryset` in the order `sort` names (default: best match when searching, else newest).

    Dates are the printed date or else the approximate one (`Article.dated`); reports without either come
    last whichever way. Sources sort by their name in the reader's language.
    """
    sort = sort or ("relevance" if searching else "newest")
    if sort not in SORTS:
        raise UnknownSort(sort)
    newest = (F("dated").desc(nulls_last=True), "-id")
    if sort == "relevance":
        return queryset if searching else queryset.order_by(*newest)
    if sort == "newest":
        return queryset.order_by(*newest)
    if sort == "oldest":
        return queryset.order_by(F("dated").asc(nulls_last=True), "id")
    name = "source__name_ar"
    if language and language.startswith("en"):
        name = Coalesce(NullIf("source__name_en", Value("")), "source__name_ar")
    else:
        name = F(name)
    return queryset.order_by(name.asc(nulls_last=True), *newest)


# inside the facet statement: the filtered reports' (id, source_id, copy_group), once each
MATCHED = "facet_matches"


class FacetCounts(dict):
    """Facet name -> rows, as `facet_counts` returns them; `total` is how many reports matched, `stories`
    how many texts they are (copies of one wire story, `Article.copy_group`, counted once).

    `estimated`: the counts (and the totals) were taken over a sample of every `step`-th matching
    report and scaled up, because the match was larger than `EXACT_LIMIT`: shown as "about …".
    """

    total = 0
    stories = 0
    estimated = False
    step = 1


# Up to this many matching reports (the planner's estimate) facets are counted exactly; beyond, over a
# systematic sample of about SAMPLE_SIZE of them (every n-th id), and the counts are marked estimates.
EXACT_LIMIT = 50_000
SAMPLE_SIZE = 20_000


@dataclass(frozen=True)
class Facet:
    """A facet: the records a report links to, counted over the matching reports.

    `link` is the table joining a report to the record (`None`: the record's id
    is a column of the matched rows, as a report's source is); `text` is the
    name shown and the tie-break after the count (after the date, for meetings).
    """

    model: type
    link: type | None
    text: str
    dated: bool = False

    def sql(self, position, limit):
        target = _table(self.model)
        fk = f"{self.model._meta.model_name}_id"
        if self.link is None:
            joins = f"JOIN {target} r ON r.id = m.{fk}"
        else:
            joins = f"JOIN {_table(self.link)} l ON l.article_id = m.id JOIN {target} r ON r.id = l.{fk}"
        english = self.text.replace("_ar", "_en")
        start = "r.start" if self.dated else "CAST(NULL AS date)"
        grouped = ", ".join(["r.id", "r.slug", f"r.{self.text}", f"r.{english}", *(["r.start"] if self.dated else [])])
        return (
            f"SELECT * FROM (SELECT {position} AS facet, r.id AS id, r.slug AS slug, r.{self.text} AS name_ar, "
            f"r.{english} AS name_en, {start} AS start, r.{self.text} AS text, COUNT(*) AS n "
            f"FROM {MATCHED} m {joins} GROUP BY {grouped} "
            f"ORDER BY n DESC{', r.start DESC' if self.dated else ''}, r.{self.text}, r.id LIMIT {int(limit)}) f"
        )

    def record(self, row, n):
        _, pk, slug, name_ar, name_en, start, _ = row
        names = ("title_ar", "title_en") if self.text == "title_ar" else ("name_ar", "name_en")
        record = self.model(id=pk, slug=slug, **dict(zip(names, (name_ar, name_en), strict=True)))
        if self.dated:
            record.start = self.model._meta.get_field("start").to_python(start)
        record.n = n
        return record


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


class CountryFacet:
    """Countries are a column of the participants: each report counts once a country, however many it names."""

    def sql(self, position, limit):
        pairs = (
            f"SELECT DISTINCT l.article_id, r.country FROM {MATCHED} m "
            f"JOIN {_table(Article.participants.through)} l ON l.article_id = m.id "
            f"JOIN {_table(Participant)} r ON r.id = l.participant_id WHERE r.country <> ''"
        )
        return (
            f"SELECT * FROM (SELECT {position} AS facet, CAST(NULL AS bigint) AS id, c.country AS slug, "
            "CAST(NULL AS text) AS name_ar, CAST(NULL AS text) AS name_en, CAST(NULL AS date) AS start, "
            f"c.country AS text, COUNT(*) AS n FROM ({pairs}) c "
            f"GROUP BY c.country ORDER BY n DESC, c.country LIMIT {int(limit)}) f"
        )

    def record(self, row, n):
        return {"participant__country": row[2], "n": n}


FACETS = {
    "participant": Facet(Participant, Article.participants.through, "name_ar"),
    "country": CountryFacet(),
    "topic": Facet(Topic, Article.topics.through, "name_ar"),
    "source": Facet(Source, None, "name_ar"),
    "meeting": Facet(Meeting, Article.meetings.through, "title_ar", dated=True),
    "agreement": Facet(Agreement, Article.agreements.through, "title_ar"),
}


def _planned_rows(cursor, sql, params):
    """PostgreSQL's estimate of how many rows `sql` returns (no rows are read)."""
    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
    plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"]["Plan Rows"]


def about(n):
    """An estimated count rounded to two significant figures (848,213 -> 850,000), never below 1."""
    if n < 100:
        return max(1, round(n))
    digits = 10 ** (int(math.log10(n)) - 1)
    return int(round(n / digits) * digits)


def facet_counts(queryset, limit=12, exact_limit=None):
    """For each facet, the values present in `queryset` with how many of its reports have each.

    One statement for all six facets and the total. The filtered reports are
    worked out once, in a materialised `WITH` (so a full-text match is
    evaluated once, not once a facet), and each facet joins its link table to
    them and counts, reading only the fields a facet link shows. Rows are
    unsaved model instances with `n` set, so templates call `name_in` on
    them as on any record; countries are
    ``{"participant__country": code, "n": count}``. The number of matching
    reports is the result's `.total`; the number of texts among them (copies of one story counted
    once) its `.stories`.

    On PostgreSQL, when the planner expects more than `exact_limit` matches, the counts are taken
    over every `step`-th of them by id (a sample spread over the whole archive, about SAMPLE_SIZE
    reports), multiplied by `step`, rounded (`about`) and marked `estimated`: bounded work however
    large the match, and never passed off as exact.
    """
    exact_limit = EXACT_LIMIT if exact_limit is None else exact_limit
    try:
        matched = queryset.order_by().values("pk", "source_id", "copy_group").distinct()
        matched_sql, params = matched.query.sql_with_params()
    except EmptyResultSet:  # `.none()`, or a filter that can match nothing (a search with no words)
        return FacetCounts((name, []) for name in FACETS)
    step = 1
    if connections[queryset.db].vendor == "postgresql":
        with connections[queryset.db].cursor() as cursor:
            planned = _planned_rows(cursor, matched_sql, params)
        if planned > exact_limit:
            step = max(2, math.ceil(planned / SAMPLE_SIZE))
            matched_sql = (
                f"SELECT * FROM ({matched_sql}) sampled (id, source_id, copy_group) WHERE sampled.id %% {int(step)} = 0"
            )
    selects = [facet.sql(position, limit) for position, facet in enumerate(FACETS.values())]
    nothing = "CAST(NULL AS bigint), CAST(NULL AS text), CAST(NULL AS text), CAST(NULL AS text), CAST(NULL AS date)"
    selects.append(f"SELECT {len(FACETS)}, {nothing}, CAST(NULL AS text), COUNT(*) FROM {MATCHED}")
    # the stories: each report without a copy, and each group of copies once
    selects.append(
        f"SELECT {len(FACETS) + 1}, {nothing}, CAST(NULL AS text), "
        f"COUNT(*) - COUNT(copy_group) + COUNT(DISTINCT copy_group) FROM {MATCHED}"
    )
    # each facet's rows in its own order: most reports first, then newest (meetings), then by name
    sql = (
        f"WITH {MATCHED} (id, source_id, copy_group) AS MATERIALIZED ({matched_sql}) "
        f"{' UNION ALL '.join(selects)} ORDER BY facet, n DESC, start DESC, text, id"
    )
    with connections[queryset.db].cursor() as cursor:  # the database the router reads from
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = list(FACETS)
    out = FacetCounts((name, []) for name in names)
    out.estimated, out.step = step > 1, step
    for row in rows:
        position, n = row[0], row[-1]
        if step > 1:
            n = about(n * step)
        if position == len(names):
            out.total = n
        elif position == len(names) + 1:
            out.stories = n
        else:
            out[names[position]].append(FACETS[names[position]].record(row[:-1], n))
    return out


def facets_key(filterset):
    """What decides a filtered list's facets, as a string: the cleaned filters, whatever their order."""
    wanted = {}
    for name, value in sorted(filterset.form.cleaned_data.items()):
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not value):
            continue
        if hasattr(value, "__iter__") and not isinstance(value, str):
            value = sorted(str(getattr(v, "pk", v)) for v in value)
        elif name == "q":
            value = " ".join(value.split())
        else:
            value = str(getattr(value, "pk", value))
        wanted[name] = value
    return hashlib.sha1(json.dumps(wanted, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def archive_facet_counts(filterset, queryset, user, limit=12):
    """`facet_counts(queryset)` for a list or search page, kept per data generation (`derived.kept`:
    the public's view only, under the cleaned filters; an editor's, drafts included, is counted afresh)."""
    return derived.kept(f"facets:{limit}:{facets_key(filterset)}", lambda: facet_counts(queryset, limit), user=user)


# --- The quote ledger ------------------------------------------------------------------------------


class QuoteLedgerFilter(ArchiveFilterSet):
    """Filters of the quote ledger (`/quotes/` and the API's quotes), on the quotes themselves.

    Speaker, addressee, meeting and source are the quote's own; topic and agreement are those of
    the report it is printed in; the dates are the report's publication date; `country` is the
    speaker's. Repeating a speaker, addressee, meeting, source or country asks for any of them;
    repeating a topic or agreement asks for reports that have all of them, as for reports.
    No filter can match a quote twice (each follows a foreign key, or one topic or agreement of
    its report), so none asks for DISTINCT, which would make the database sort every match.
    """

    q = django_filters.CharFilter(method="filter_q", label=_("Words in the quote"), max_length=500)
    speaker = _ids("speaker", Participant, _("Speaker"), conjoined=False)
    addressee = _ids("addressee", Participant, _("Addressee"), conjoined=False)
    country = django_filters.MultipleChoiceFilter(
        field_name="speaker__country",
        choices=[(code, code) for code in sorted(ISO_3166_ALPHA2)],
        label=_("Speaker's country"),
        distinct=False,
    )
    kind = django_filters.MultipleChoiceFilter(choices=Quote.Kind.choices, label=_("Kind"), distinct=False)
    topic = _ids("article__topics", Topic, _("Topic"), conjoined=True)
    meeting = _ids("meeting", Meeting, _("Meeting"), conjoined=False)
    agreement = _ids("article__agreements", Agreement, _("Agreement"), conjoined=True)
    source = _ids("article__source", Source, _("Source"), conjoined=False)
    published_after = django_filters.DateFilter(
        field_name="published",
        lookup_expr="gte",
        method="filter_after",
        label=_("Published on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    published_before = django_filters.DateFilter(
        field_name="published",
        lookup_expr="lte",
        method="filter_before",
        label=_("Published on or before"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    LISTS = ("speaker", "addressee", "country", "kind", "topic", "meeting", "agreement", "source")
    RECORDS = {
        "speaker": Participant,
        "addressee": Participant,
        "topic": Topic,
        "meeting": Meeting,
        "agreement": Agreement,
        "source": Source,
    }

    class Meta:
        model = Quote
        fields = [
            "q",
            "speaker",
            "addressee",
            "country",
            "kind",
            "topic",
            "meeting",
            "agreement",
            "source",
            "published_after",
            "published_before",
        ]

    def filter_q(self, queryset, name, value):
        return search_quotes(queryset, value) if value.strip() else queryset

    # The report's date, said twice: on the quote (`Quote.published`, the same value, derived) so a
    # speaker's quotes of a year are one range of `quote_speaker_newest`, and on the report so an
    # outlet's reports of a year are one range of `article_source_published`. The database picks.
    def filter_after(self, queryset, name, value):
        return queryset.filter(published__gte=value, article__published__gte=value)

    def filter_before(self, queryset, name, value):
        return queryset.filter(published__lte=value, article__published__lte=value)


# Facets and the count of the ledger are taken over at most this many of the newest matching quotes:
# reading them is one index-ordered scan however large the archive, where counting every quote of a
# million reports would cost seconds. A narrower filter gets exact counts; pages go this deep.
LEDGER_WINDOW = 10_000

# facet name -> (position in the window's rows, the model its ids name, None for a plain value)
LEDGER_FACETS = {
    "speaker": (0, Participant),
    "addressee": (1, Participant),
    "country": (2, None),
    "kind": (3, None),
    "meeting": (4, Meeting),
    "source": (5, Source),
}


class LedgerCounts(dict):
    """Facet name -> rows (as `quote_facet_counts` returns them); `total` the quotes counted,
    `capped` True when there are more than the window holds."""

    total = 0
    capped = False


def quote_facet_counts(quotes, limit=12, window=None):
    """For each ledger facet, the values among the newest `window` quotes of `quotes` (an ordered
    queryset) with how many of them have each: one query for the window, one a model for names.

    Records are unsaved instances with `n` set, so templates call `name_in` on them; countries and
    kinds are ``{"value": ..., "n": count}``.
    """
    window = window or LEDGER_WINDOW
    rows = list(
        quotes.prefetch_related(None)[: window + 1].values_list(
            "speaker_id", "addressee_id", "speaker__country", "kind", "meeting_id", "article__source_id"
        )
    )
    out = LedgerCounts()
    out.capped = len(rows) > window
    rows = rows[:window]
    out.total = len(rows)
    top = {}
    for name, (position, _model) in LEDGER_FACETS.items():
        counts = Counter(row[position] for row in rows if row[position] not in (None, ""))
        # most quotes first, then by value, so that equal counts come in the same order every time
        top[name] = sorted(counts.items(), key=lambda pair: (-pair[1], str(pair[0])))[:limit]
    wanted = {}
    for name, (_position, model) in LEDGER_FACETS.items():
        if model is not None:
            wanted.setdefault(model, set()).update(value for value, _n in top[name])
    records = {model: model.objects.in_bulk(ids) for model, ids in wanted.items() if ids}
    for name, (_position, model) in LEDGER_FACETS.items():
        if model is None:
            out[name] = [{"value": value, "n": n} for value, n in top[name]]
            continue
        out[name] = []
        for pk, n in top[name]:
            record = records[model][pk]
            record.n = n
            out[name].append(record)
    return out


def ledger_facet_counts(filterset, quotes, user):
    """`quote_facet_counts(quotes)` for the ledger page, kept per data generation as a list's facets are
    (`archive_facet_counts`): the public's view under the cleaned filters; an editor's counted afresh."""
    return derived.kept(f"ledger:{facets_key(filterset)}", lambda: quote_facet_counts(quotes), user=user)

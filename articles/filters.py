"""Filtering the archive's reports: one FilterSet for the public pages and the API, and facet counts.

Every filter is written out; values are slugs and ISO codes, so URLs are
readable and bookmarkable (`?participant=kerry&topic=syria-war`). Repeating a
person, topic, meeting or agreement asks for reports that have all of them;
repeating a source or a country asks for any of them.
"""

from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Source
from articles.search import search
from diplomacy.countries import ISO_3166_ALPHA2
from diplomacy.models import Agreement, Meeting, Participant, Topic


def _slugs(field_name, model, label, conjoined):
    return django_filters.ModelMultipleChoiceFilter(
        field_name=f"{field_name}__slug",
        to_field_name="slug",
        queryset=model.objects.all(),
        conjoined=conjoined,
        label=label,
    )


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=500)
    participant = _slugs("participants", Participant, _("Person or party"), conjoined=True)
    country = django_filters.MultipleChoiceFilter(
        field_name="participants__country",
        choices=[(code, code) for code in sorted(ISO_3166_ALPHA2)],
        label=_("Country"),
        distinct=True,
    )
    topic = _slugs("topics", Topic, _("Topic"), conjoined=True)
    source = _slugs("source", Source, _("Source"), conjoined=False)
    meeting = _slugs("meetings", Meeting, _("Meeting"), conjoined=True)
    agreement = _slugs("agreements", Agreement, _("Agreement"), conjoined=True)
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

    def __init__(self, data=None, *args, **kwargs):
        # `?participant=&topic=syria-war`: an empty value (as a form or a client may send) is no filter, not an error
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            for name in ("participant", "country", "topic", "source", "meeting", "agreement"):
                values = [value for value in data.getlist(name) if value.strip()]
                if values:
                    data.setlist(name, values)
                else:
                    data.pop(name, None)
        super().__init__(data, *args, **kwargs)

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


MATCHED = "facet_matches"  # inside the facet statement: the filtered reports' (id, source_id), once each


class FacetCounts(dict):
    """Facet name -> rows, as `facet_counts` returns them; `total` is how many reports matched."""

    total = 0


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


def facet_counts(queryset, limit=12):
    """For each facet, the values present in `queryset` with how many of its reports have each.

    One statement for all six facets and the total. The filtered reports are
    worked out once, in a materialised `WITH` (so a full-text match is
    evaluated once, not once a facet), and each facet joins its link table to
    them and counts, reading only the fields a facet link shows. Rows are
    unsaved model instances with `n` set, so templates call `name_in` on
    them as on any record; countries are
    ``{"participant__country": code, "n": count}``. The number of matching
    reports is the result's `.total`.
    """
    try:
        matched_sql, params = queryset.order_by().values("pk", "source_id").distinct().query.sql_with_params()
    except EmptyResultSet:  # `.none()`, or a filter that can match nothing (a search with no words)
        return FacetCounts((name, []) for name in FACETS)
    selects = [facet.sql(position, limit) for position, facet in enumerate(FACETS.values())]
    selects.append(
        f"SELECT {len(FACETS)}, CAST(NULL AS bigint), CAST(NULL AS text), CAST(NULL AS text), CAST(NULL AS text), "
        f"CAST(NULL AS date), CAST(NULL AS text), COUNT(*) FROM {MATCHED}"
    )
    # each facet's rows in its own order: most reports first, then newest (meetings), then by name
    sql = (
        f"WITH {MATCHED} (id, source_id) AS MATERIALIZED ({matched_sql}) "
        f"{' UNION ALL '.join(selects)} ORDER BY facet, n DESC, start DESC, text, id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = list(FACETS)
    out = FacetCounts((name, []) for name in names)
    for row in rows:
        position, n = row[0], row[-1]
        if position == len(names):
            out.total = n
        else:
            out[names[position]].append(FACETS[names[position]].record(row[:-1], n))
    return out

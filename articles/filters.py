"""Filtering the archive's reports: one FilterSet for the public pages and the API, and facet counts.

Every filter is written out; values are slugs and ISO codes, so URLs are
readable and bookmarkable (`?participant=kerry&topic=syria-war`). Repeating a
person, topic, meeting or agreement asks for reports that have all of them;
repeating a source or a country asks for any of them.
"""

import django_filters
from django import forms
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Source
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
        field_name="published",
        lookup_expr="gte",
        label=_("Published on or after"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    published_before = django_filters.DateFilter(
        field_name="published",
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
        from articles.search import search

        return search(queryset, value) if value.strip() else queryset


def facet_counts(queryset, limit=12):
    """For each facet, the values present in `queryset` with how many of its reports have each.

    One grouped query a facet, over the link table and the ids of the filtered
    reports (never a conditional count over every record), reading only the
    fields a facet link shows. Rows are unsaved model instances with `n` set,
    so templates call `name_in`/`title_in` on them as on any record.
    """
    ids = queryset.order_by().values("pk")

    def top(through, field, model, fields, order):
        rows = (
            through.objects.filter(article_id__in=ids)
            .values(f"{field}_id", *(f"{field}__{name}" for name in fields))
            .annotate(n=Count("article_id"))
            .order_by("-n", *(f"{'-' if o.startswith('-') else ''}{field}__{o.lstrip('-')}" for o in order))[:limit]
        )
        return [_record(model, row, field, fields) for row in rows]

    names = ("slug", "name_ar", "name_en")
    titles = ("slug", "title_ar", "title_en")
    sources = (
        Article.objects.filter(pk__in=ids, source__isnull=False)
        .values("source_id", *(f"source__{name}" for name in names))
        .annotate(n=Count("id"))
        .order_by("-n", "source__name_ar")[:limit]
    )
    return {
        "participant": top(Article.participants.through, "participant", Participant, names, ["name_ar"]),
        "country": list(
            Article.participants.through.objects.filter(article_id__in=ids)
            .exclude(participant__country="")
            .values("participant__country")
            .annotate(n=Count("article_id", distinct=True))
            .order_by("-n", "participant__country")[:limit]
        ),
        "topic": top(Article.topics.through, "topic", Topic, names, ["name_ar"]),
        "source": [_record(Source, row, "source", names) for row in sources],
        "meeting": top(Article.meetings.through, "meeting", Meeting, (*titles, "start"), ["-start"]),
        "agreement": top(Article.agreements.through, "agreement", Agreement, titles, ["title_ar"]),
    }


def _record(model, row, field, fields):
    record = model(id=row[f"{field}_id"], **{name: row[f"{field}__{name}"] for name in fields})
    record.n = row["n"]
    return record

"""Filtering the archive's reports: one FilterSet for the public pages and the API, and facet counts.

Every filter is written out; values are slugs and ISO codes, so URLs are
readable and bookmarkable (`?participant=kerry&topic=syria-war`). Repeating a
person, topic, meeting or agreement asks for reports that have all of them;
repeating a source or a country asks for any of them.
"""

import django_filters
from django import forms
from django.db.models import Count, Q
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

    Counting happens in the database: one grouped query a facet, over the ids
    of the filtered reports.
    """
    ids = queryset.order_by().values("pk")
    in_set = Q(articles__in=ids)

    def top(model, relation, *fields):
        condition = Q(**{f"{relation}__in": ids})
        return list(
            model.objects.annotate(n=Count(relation, filter=condition, distinct=True))
            .filter(n__gt=0)
            .order_by("-n", *fields)[:limit]
        )

    return {
        "participant": top(Participant, "covered_in", "name_ar"),
        "country": list(
            Article.participants.through.objects.filter(article__in=ids)
            .exclude(participant__country="")
            .values("participant__country")
            .annotate(n=Count("article", distinct=True))
            .order_by("-n", "participant__country")[:limit]
        ),
        "topic": top(Topic, "articles", "name_ar"),
        "source": list(
            Source.objects.annotate(n=Count("articles", filter=in_set))
            .filter(n__gt=0)
            .order_by("-n", "name_ar")[:limit]
        ),
        "meeting": top(Meeting, "articles", "-start"),
        "agreement": top(Agreement, "articles", "title_ar"),
    }

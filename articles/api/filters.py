"""The API's FilterSets, each filter written out.

Articles reuse the shared `ArticleFilter` (the public pages filter with the
same one). Every list also takes `ordering`, one of a fixed set named in
`ORDERINGS`; the FilterSet validates and documents it, and the paginator
applies it (it needs the sort key to build its cursor).
"""

import copy

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from articles.arabic import normalize
from articles.duplicates import first_printings
from articles.filters import ArticleFilter, QuoteLedgerFilter, record_slugs
from articles.models import Article, Change, Evidence, Mention, Note, Source
from articles.search import QueryError
from diplomacy.countries import ISO_3166_ALPHA2
from diplomacy.models import Agreement, Meeting, Participant, ParticipantAlias, Place, Topic

MAX_ID = 2**63 - 1

# Each list's orderings: the name a client sends, and the sort key it stands for. The key always
# ends with the primary key, so it is unique and the cursor can seek on it. The first is the default.
ORDERINGS = {
    "articles": {
        "-published": ("-published", "-id"),
        "published": ("published", "id"),
        "-id": ("-id",),
        "id": ("id",),
        "title": ("title", "id"),
    },
    "quotes": {
        "article": ("article_id", "start", "id"),
        "-article": ("-article_id", "start", "id"),
        "-created": ("-created_at", "-id"),
    },
    "mentions": {
        "article": ("article_id", "start", "id"),
        "-article": ("-article_id", "start", "id"),
        "-created": ("-created_at", "-id"),
    },
    "notes": {
        "article": ("article_id", "start", "id"),
        "-created": ("-created_at", "-id"),
    },
    "meetings": {
        "-start": ("-start", "-id"),
        "start": ("start", "id"),
        "title": ("title_ar", "id"),
        "slug": ("slug",),
    },
    "agreements": {
        "-announced": ("-announced", "-id"),
        "announced": ("announced", "id"),
        "title": ("title_ar", "id"),
        "slug": ("slug",),
    },
    "participants": {
        "name": ("name_ar", "id"),
        "name_en": ("name_en", "id"),
        "slug": ("slug",),
    },
    "evidence": {
        "article": ("article_id", "start", "id"),
        "-created": ("-created_at", "-id"),
    },
    "changes": {
        "at": ("at", "id"),
    },
    "named": {
        "name": ("name_ar", "id"),
        "name_en": ("name_en", "id"),
        "slug": ("slug",),
    },
}


# A search's own order (`q` without `ordering`): best match first, then newest, then by id. The rank is
# computed for each query (`articles.search`), and the cursor seeks on it like on a column.
RANKED = ("-search_rank", "-published", "-id")


def ordering_filter(resource, ranked=False):
    choices = ORDERINGS[resource]
    default = next(iter(choices))
    help_text = _("Sort order, one of: %(names)s. Default: %(default)s.") % {
        "names": ", ".join(choices),
        "default": _("rank when q is given, otherwise %(default)s") % {"default": default} if ranked else default,
    }
    return django_filters.ChoiceFilter(
        choices=[(name, name) for name in choices], method="keep", label=_("Ordering"), help_text=help_text
    )


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.Filter):
    """A numeric id: a whole number from 1 upwards (anything else is refused, not looked up)."""

    field_class = IdField


def id_filter(field_name, label, help_text):
    # The schema states the range the form field enforces, so `?article=0` is refused as documented.
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": str(help_text)}
    return extend_schema_field(schema)(IdFilter(field_name=field_name, label=label, help_text=help_text))


def slug_filter(field_name, model, label, help_text, conjoined=False):
    # The schema generator cannot type a filter that follows a relation to its slug; it is a string.
    schema = {"type": "string", "description": str(help_text)}
    return extend_schema_field(schema)(record_slugs(field_name, model, label, conjoined, help_text=help_text))


class OrderedFilterSet(django_filters.FilterSet):
    def keep(self, queryset, name, value):
        """`ordering` is applied by the paginator, which builds its cursor from the same key."""
        return queryset


class ArticleApiFilter(ArticleFilter):
    """The shared article filters, plus `status` (editors) and `ordering`."""

    status = django_filters.MultipleChoiceFilter(
        choices=Article.Status.choices,
        label=_("Status"),
        help_text=_("Editorial status (editors only: other clients only ever see published reports)."),
    )
    ordering = ordering_filter("articles", ranked=True)
    collapse = django_filters.ChoiceFilter(
        choices=[("copies", _("copies of one text listed once"))],
        method="keep",
        label=_("Collapse"),
        help_text=_(
            "`copies`: of the reports that carry the same text (copies of one wire story), list the earliest "
            "printing only, with the others in its `copies` field."
        ),
    )

    class Meta(ArticleFilter.Meta):
        fields = [*ArticleFilter.Meta.fields, "status", "ordering", "collapse"]

    keep = OrderedFilterSet.keep

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("collapse") == "copies":
            queryset = first_printings(queryset, queryset)
        return queryset

    def filter_q(self, queryset, name, value):
        try:
            return super().filter_q(queryset, name, value)
        except QueryError as error:
            raise ValidationError({"q": [str(error)]}) from error


# The shared slug filters follow a relation the schema generator cannot type by itself; tell it (on
# copies, so the public pages' FilterSet is left as it is) that each value is a slug.
for _name in ("participant", "topic", "source", "meeting", "agreement"):
    _filter = copy.deepcopy(ArticleApiFilter.base_filters[_name])
    ArticleApiFilter.base_filters[_name] = extend_schema_field({"type": "string", "description": str(_filter.label)})(
        _filter
    )


class QuoteFilter(QuoteLedgerFilter):
    """The quote ledger's filters (the public `/quotes/` filters with the same one), plus `article` and `ordering`."""

    article = id_filter("article_id", _("Article"), _("The article's id."))
    ordering = ordering_filter("quotes")

    class Meta(QuoteLedgerFilter.Meta):
        fields = [*QuoteLedgerFilter.Meta.fields, "article", "ordering"]

    keep = OrderedFilterSet.keep

    def filter_q(self, queryset, name, value):
        try:
            return super().filter_q(queryset, name, value)
        except QueryError as error:
            raise ValidationError({"q": [str(error)]}) from error


for _name in ("speaker", "addressee", "topic", "source", "meeting", "agreement"):
    _filter = copy.deepcopy(QuoteFilter.base_filters[_name])
    QuoteFilter.base_filters[_name] = extend_schema_field({"type": "string", "description": str(_filter.label)})(
        _filter
    )


class MentionFilter(OrderedFilterSet):
    participant = slug_filter("participant", Participant, _("Participant"), _("Participant slug; repeatable."))
    place = slug_filter("place", Place, _("Place"), _("Place slug; repeatable."))
    meeting = slug_filter("meeting", Meeting, _("Meeting"), _("Meeting slug; repeatable."))
    agreement = slug_filter("agreement", Agreement, _("Agreement"), _("Agreement slug; repeatable."))
    article = id_filter("article_id", _("Article"), _("The article's id."))
    ordering = ordering_filter("mentions")

    class Meta:
        model = Mention
        fields = ["participant", "place", "meeting", "agreement", "article", "ordering"]


class NoteFilter(OrderedFilterSet):
    article = id_filter("article_id", _("Article"), _("The article's id."))
    ordering = ordering_filter("notes")

    class Meta:
        model = Note
        fields = ["article", "ordering"]


class MeetingFilter(OrderedFilterSet):
    participant = slug_filter(
        "participants",
        Participant,
        _("Participant"),
        _("Participant slug; repeat to ask for meetings with all of them."),
        conjoined=True,
    )
    kind = django_filters.MultipleChoiceFilter(choices=Meeting.Kind.choices, label=_("Kind"))
    place = slug_filter("place", Place, _("Place"), _("Place slug; repeat for any of several."))
    date_after = django_filters.DateFilter(
        method="filter_date_after",
        label=_("On or after"),
        help_text=_("Meetings still going on or after this date (YYYY-MM-DD)."),
    )
    date_before = django_filters.DateFilter(
        field_name="start",
        lookup_expr="lte",
        label=_("On or before"),
        help_text=_("Meetings that began on or before this date (YYYY-MM-DD)."),
    )
    ordering = ordering_filter("meetings")

    class Meta:
        model = Meeting
        fields = ["participant", "kind", "place", "date_after", "date_before", "ordering"]

    def filter_date_after(self, queryset, name, value):
        # A meeting without an end date lasted one day (or its precision's span, which starts on `start`).
        return queryset.filter(Q(end__gte=value) | Q(end__isnull=True, start__gte=value))


class AgreementFilter(OrderedFilterSet):
    party = slug_filter(
        "parties",
        Participant,
        _("Party"),
        _("Participant slug of a party in any role; repeat to ask for agreements with all of them."),
        conjoined=True,
    )
    kind = django_filters.MultipleChoiceFilter(choices=Agreement.Kind.choices, label=_("Kind"))
    status = django_filters.MultipleChoiceFilter(choices=Agreement.Status.choices, label=_("Status"))
    date_after = django_filters.DateFilter(
        method="filter_dates",
        label=_("Dated on or after"),
        help_text=_("The agreement's first known date (announced, else signed, else in effect) is on or after this."),
    )
    date_before = django_filters.DateFilter(
        method="filter_dates",
        label=_("Dated on or before"),
        help_text=_("The agreement's first known date (announced, else signed, else in effect) is on or before this."),
    )
    ordering = ordering_filter("agreements")

    class Meta:
        model = Agreement
        fields = ["party", "kind", "status", "date_after", "date_before", "ordering"]

    def filter_dates(self, queryset, name, value):
        lookup = "gte" if name == "date_after" else "lte"
        return queryset.alias(first_date=Coalesce("announced", "signed", "effective")).filter(
            **{f"first_date__{lookup}": value}
        )


COUNTRY_CHOICES = [(code, code) for code in sorted(ISO_3166_ALPHA2)]


class ParticipantFilter(OrderedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Participant.Kind.choices, label=_("Kind"))
    country = django_filters.MultipleChoiceFilter(
        choices=COUNTRY_CHOICES, label=_("Country"), help_text=_("ISO 3166 alpha-2 code, such as SY; repeatable.")
    )
    name = django_filters.CharFilter(
        method="filter_name",
        max_length=300,
        label=_("Name"),
        help_text=_(
            "Part of a name or alias in either script, matched as the press spells it "
            "(hamza forms, taa marbuta, diacritics and case do not matter)."
        ),
    )
    ordering = ordering_filter("participants")

    class Meta:
        model = Participant
        fields = ["kind", "country", "name", "ordering"]

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        normalized = normalize(value).casefold()
        alias = ParticipantAlias.objects.filter(participant=OuterRef("pk"), normalized__contains=normalized)
        return queryset.filter(Exists(alias) | Q(name_ar__icontains=value) | Q(name_en__icontains=value))


class SourceFilter(OrderedFilterSet):
    country = django_filters.MultipleChoiceFilter(
        choices=COUNTRY_CHOICES, label=_("Country"), help_text=_("ISO 3166 alpha-2 code; repeatable.")
    )
    ordering = ordering_filter("named")

    class Meta:
        model = Source
        fields = ["country", "ordering"]


class PlaceFilter(OrderedFilterSet):
    country = django_filters.MultipleChoiceFilter(
        choices=COUNTRY_CHOICES, label=_("Country"), help_text=_("ISO 3166 alpha-2 code; repeatable.")
    )
    ordering = ordering_filter("named")

    class Meta:
        model = Place
        fields = ["country", "ordering"]


class TopicFilter(OrderedFilterSet):
    ordering = ordering_filter("named")

    class Meta:
        model = Topic
        fields = ["ordering"]


class ChangeFilter(OrderedFilterSet):
    since = django_filters.IsoDateTimeFilter(
        field_name="at",
        lookup_expr="gt",
        label=_("Since"),
        help_text=_("Changes after this moment (ISO 8601, e.g. 2026-01-31T12:00:00Z): where the last sync ended."),
    )
    article = id_filter("article_id", _("Article"), _("The article's id."))
    kind = django_filters.MultipleChoiceFilter(choices=Change.Kind.choices, label=_("Kind"))
    ordering = ordering_filter("changes")

    class Meta:
        model = Change
        fields = ["since", "article", "kind", "ordering"]


class EvidenceFilter(OrderedFilterSet):
    meeting = slug_filter("meeting", Meeting, _("Meeting"), _("Meeting slug; repeatable."))
    agreement = slug_filter("agreement", Agreement, _("Agreement"), _("Agreement slug; repeatable."))
    participant = slug_filter("participant", Participant, _("Participant"), _("Participant slug; repeatable."))
    field = django_filters.MultipleChoiceFilter(choices=Evidence.Field.choices, label=_("Evidence for"))
    article = id_filter("article_id", _("Article"), _("The article's id."))
    ordering = ordering_filter("evidence")

    class Meta:
        model = Evidence
        fields = ["meeting", "agreement", "participant", "field", "article", "ordering"]

"""The API's resources. Every queryset is built, with what its serializer reads, in `get_queryset()`.

Reports and their annotations go through `visible_to(request.user)`: clients
without the `articles.view_draft` permission see published reports only, and
a draft's address answers 404. The record and the sources go through
`visible_records(Model, request.user)`: such clients see what published reports
reach, and any other record answers 404 as an unknown one does (docs/public.md,
"What is public"). Notes are for editors only.
"""

import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, mixins, parsers, permissions, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from articles import actions
from articles.api import filters, serializers
from articles.api.annotations import annotation_collection, annotation_page, single_annotation, span_annotation
from articles.api.exceptions import error_body
from articles.api.pagination import ArchiveCursorPagination, Key, _after
from articles.api.parsers import LimitedJSONParser
from articles.api.renderers import (
    ANNOTATION_CONTENT_TYPE,
    CSVRenderer,
    CSVRows,
    JSONLDRenderer,
    JSONLinesRenderer,
    PlainTextRenderer,
    jsonl_rows,
)
from articles.comparison import outlet_comparison
from articles.duplicates import attach_copies
from articles.models import Article, Change, Evidence, Mention, Note, Quote, Source, visible_records
from articles.suggestions import suggest_for_article
from diplomacy.models import Agreement, AgreementParty, Meeting, Participant, Participation, Place, Topic

EXPORT_CHUNK = 500
MAX_PK = 2**63 - 1


def slug_param(name, description, example):
    return OpenApiParameter(
        name, OpenApiTypes.STR, many=True, description=description, examples=[OpenApiExample(example, value=[example])]
    )


def date_param(name, description, example):
    return OpenApiParameter(
        name, OpenApiTypes.DATE, description=description, examples=[OpenApiExample(example, value=example)]
    )


ARTICLE_PARAMETERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        description="Full-text search of title and body, Arabic as it is really written (spelling variants "
        "of hamza, taa marbuta and alef maqsura match). Results come best match first unless `ordering` is given. "
        "At most 500 characters.",
        examples=[OpenApiExample("Two Arabic names", value="كيري لافروف"), OpenApiExample("Lavrov", value="Lavrov")],
    ),
    slug_param(
        "participant",
        "Participant slug: reports involving this person, state or organisation "
        "(repeat for reports involving all of them).",
        "lavrov",
    ),
    OpenApiParameter(
        "country",
        OpenApiTypes.STR,
        many=True,
        description="ISO 3166 alpha-2 code: reports involving a participant of this country "
        "(repeat for any of several).",
        examples=[OpenApiExample("RU", value=["RU"])],
    ),
    slug_param("topic", "Topic slug (repeat for reports on all of them).", "syria-war"),
    slug_param("source", "Source slug (repeat for any of several).", "al-waght"),
    slug_param("meeting", "Meeting slug (repeat for reports covering all of them).", "kerry-lavrov-press-2016-03-24"),
    slug_param(
        "agreement", "Agreement slug (repeat for reports covering all of them).", "security-dialogue-2016-03-24"
    ),
    date_param("published_after", "Published on or after this date (YYYY-MM-DD).", "2016-03-01"),
    date_param("published_before", "Published on or before this date (YYYY-MM-DD).", "2016-03-31"),
]


class ArchiveFilterBackend(DjangoFilterBackend):
    """django-filter, refusing a bad parameter with 400 (never ignoring it).

    A request that names none of the list's filters skips building the FilterSet and its form:
    there is nothing to validate or apply, and building them costs more than the page's query.
    """

    raise_exception = True

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            name in given_parameters(request) for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "data": given_parameters(request)}


def given_parameters(request):
    """The query without its empty values: `?kind=` is the same as no `kind` (an HTML form sends its
    empty fields), for every parameter of every list. A value that is there and wrong is refused."""
    params = request.query_params.copy()
    for name in list(params):
        values = [value for value in params.getlist(name) if value != ""]
        if values:
            params.setlist(name, values)
        else:
            del params[name]
    return params


class EditorsOnly(permissions.DjangoModelPermissions):
    """Reading needs the model's view permission too (editors' notes are never public)."""

    perms_map = {**permissions.DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}
    perms_map["HEAD"] = perms_map["GET"]


class CanUseSuggestions(permissions.BasePermission):
    message = _("Suggestions are for editors.")

    def has_permission(self, request, view):
        return request.user.has_perm("articles.change_article")


def etag_of(data):
    return f'"{hashlib.sha256(JSONRenderer().render(data)).hexdigest()[:40]}"'


class ArchiveViewSet(viewsets.GenericViewSet):
    """What every resource shares: paging, ordering, exports, conditional requests, one error shape.

    It comes first among a viewset's bases, so that its `list` and `perform_*` win over DRF's mixins.
    """

    pagination_class = ArchiveCursorPagination
    filter_backends = [ArchiveFilterBackend]
    renderer_classes = [JSONRenderer, CSVRenderer, JSONLinesRenderer]
    resource = None  # the key of this list's orderings in filters.ORDERINGS
    ranked = False  # True where `q` gives rank order
    list_serializer_class = None
    export_serializer_class = None
    conditional_actions = {"retrieve"}

    # Parameters and errors ----------------------------------------------------------------------

    def initial(self, request, *args, **kwargs):
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise exceptions.ValidationError({name.replace("\x00", ""): [_("A NUL character is not allowed.")]})
        super().initial(request, *args, **kwargs)
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if self.lookup_field == "pk" and lookup is not None and (len(lookup) > 19 or int(lookup) > MAX_PK):
            raise exceptions.NotFound()

    def handle_exception(self, exc):
        # Errors are always JSON in the documented shape, even when CSV or JSON Lines was asked for.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    # Ordering -----------------------------------------------------------------------------------

    def get_ordering_name(self):
        """The client's `ordering` (validated by the FilterSet), else rank for a search, else the default."""
        requested = self.request.query_params.get("ordering")
        choices = filters.ORDERINGS[self.resource]
        if requested in choices:
            return requested
        if self.ranked and self.request.query_params.get("q", "").strip():
            return "rank"
        return next(iter(choices))

    def get_ordering_keys(self):
        name = self.get_ordering_name()
        specs = filters.RANKED if name == "rank" else filters.ORDERINGS[self.resource][name]
        model = self.queryset.model
        fields = {spec.lstrip("-") for spec in specs} - {"id", "search_rank"}
        nullable = {field for field in fields if model._meta.get_field(field).null}
        return [Key.parse(spec, nullable) for spec in specs]

    # Serializers --------------------------------------------------------------------------------

    def get_serializer_class(self):
        if self.action == "list" and self.list_serializer_class is not None:
            if self.is_export() and self.export_serializer_class is not None:
                return self.export_serializer_class
            return self.list_serializer_class
        return super().get_serializer_class()

    def is_export(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format in {"csv", "jsonl"}

    # Lists and exports --------------------------------------------------------------------------

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if self.is_export():
            # An export is the whole set, so paging does not apply; a paging value that is not valid
            # is still refused, as on any list, rather than silently ignored.
            self.paginator.get_page_size(request)
            self.paginator.decode_cursor(request)
            return self.export(queryset, request.accepted_renderer.format)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def export_chunks(self, queryset):
        """The whole filtered set in the list's order, a chunk at a time (one query, plus prefetches, a chunk)."""
        keys = self.get_ordering_keys()
        queryset = queryset.order_by(*(key.order_by() for key in keys))
        values = None
        while True:
            page = queryset if values is None else queryset.filter(_after(keys, values, False))
            rows = list(page[:EXPORT_CHUNK])
            if rows:
                yield rows
            if len(rows) < EXPORT_CHUNK:
                return
            values = [getattr(rows[-1], key.field) for key in keys]

    def export(self, queryset, fmt):
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()

        if fmt == "csv":
            writer = CSVRows(csv_columns(serializer_class(context=context)))

            def stream():
                yield writer.header()
                for rows in self.export_chunks(queryset):
                    yield writer.rows(serializer_class(rows, many=True, context=context).data)

            content_type = "text/csv; charset=utf-8"
        else:

            def stream():
                for rows in self.export_chunks(queryset):
                    yield jsonl_rows(serializer_class(rows, many=True, context=context).data)

            content_type = "application/x-ndjson; charset=utf-8"
        response = StreamingHttpResponse((chunk.encode("utf-8") for chunk in stream()), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.resource}.{fmt}"'
        return response

    # Conditional requests -----------------------------------------------------------------------

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if (
            request.method in {"GET", "HEAD"}
            and self.action in self.conditional_actions
            and isinstance(response, Response)
            and response.status_code == status.HTTP_200_OK
        ):
            etag = etag_of(response.data)
            response["ETag"] = etag
            conditional = get_conditional_response(request, etag=etag, response=response)
            if conditional is not response:
                conditional["ETag"] = etag
                if conditional.status_code == status.HTTP_412_PRECONDITION_FAILED:
                    conditional = Response(
                        error_body(412, "precondition_failed", _("The record has changed.")), status=412
                    )
                    return super().finalize_response(request, conditional, *args, **kwargs)
                return conditional
        return response

    def check_if_match(self, instance):
        """`If-Match` on a write: refuse it (412) when the record changed since the client read it.

        Call it inside the write's transaction, on the record read again under its lock
        (`locked`), so that two writes with the same `If-Match` cannot both pass.
        """
        expected = self.request.headers.get("If-Match")
        if not expected or expected.strip() == "*":
            return
        current = etag_of(self.get_detail_serializer(instance).data)
        if current not in [tag.strip() for tag in expected.split(",")]:
            raise PreconditionFailed()

    def get_detail_serializer(self, instance):
        return self.get_serializer(instance)

    def locked(self, instance):
        """`instance` read again, its row (or its report's, for an annotation) locked until the transaction ends."""
        if hasattr(instance, "article_id"):
            rows = Article.objects.filter(pk=instance.article_id)
        else:
            rows = type(instance).objects.filter(pk=instance.pk)
        list(rows.select_for_update().values_list("pk", flat=True))
        return self.get_queryset().get(pk=instance.pk)

    def perform_update(self, serializer):
        with transaction.atomic():
            serializer.instance = self.locked(serializer.instance)
            self.check_if_match(serializer.instance)
            serializer.save()

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance = self.locked(instance)
            self.check_if_match(instance)
            self.destroy_instance(instance)

    def destroy_instance(self, instance):
        instance.delete()


def export_rows(rows, serializer, fmt, filename):
    """Rows already serialised, as a CSV or JSON Lines download (a small set: not streamed in chunks)."""
    if fmt == "csv":
        writer = CSVRows(csv_columns(serializer))
        body, content_type = writer.header() + writer.rows(rows), "text/csv; charset=utf-8"
    else:
        body, content_type = jsonl_rows(rows), "application/x-ndjson; charset=utf-8"
    response = StreamingHttpResponse([body.encode("utf-8")], content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def comparison_rows(comparison):
    """A meeting's outlet comparison flattened: one row a quote, and one for a report that quotes no one."""
    rows = []
    for column in comparison.columns:
        article = column.article
        common = {
            "article_id": article.pk,
            "source": article.source.slug if article.source else None,
            "published": article.published,
            "copies": [copy.pk for copy in column.copies],
        }
        for quote in column.quotes:
            rows.append(
                {
                    **common,
                    "quote": quote.pk,
                    "speaker": quote.speaker.slug if quote.speaker else None,
                    "addressee": quote.addressee.slug if quote.addressee else None,
                    "kind": quote.kind,
                    "text": quote.text,
                    "only_here": quote.only_here,
                    "also_in": [other.pk for other in quote.echoed_in],
                }
            )
        if not column.quotes:
            rows.append(
                {**common, "quote": None, "speaker": None, "addressee": None, "kind": None, "text": None}
                | {"only_here": False, "also_in": []}
            )
    return rows


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record has changed since you read it; read it again and retry.")
    default_code = "precondition_failed"


def csv_columns(serializer, prefix=""):
    """The CSV header for a serializer: nested objects become `parent.child` columns."""
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.serializers.Serializer):
            columns.extend(csv_columns(field, f"{prefix}{name}."))
        else:
            columns.append(f"{prefix}{name}")
    return columns


# Articles -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List published reports (light: no body)",
        description="Filter, search and page through the reports. `status` filters by editorial status "
        "for editors; other clients only ever see published reports.",
        parameters=ARTICLE_PARAMETERS,
    ),
    retrieve=extend_schema(
        summary="One report with its body and annotations",
        description="The body as printed, its quotes and mentions (spans into the body, relations by slug), "
        "the meetings, agreements and topics it covers, and everyone it involves with names and URLs. "
        "Answers carry an ETag; drafts answer 404 to the public.",
    ),
    create=extend_schema(
        summary="Add a report (editors)",
        request=serializers.ArticleWriteSerializer,
        responses={201: serializers.ArticleDetailSerializer},
        examples=[
            OpenApiExample(
                "A draft",
                request_only=True,
                value={
                    "title": "لافروف يستقبل كيري",
                    "body": "الفقرة الأولى\nالفقرة الثانية",
                    "source": "al-waght",
                    "published": "2016-03-24",
                    "status": "draft",
                    "topics": ["syria-war"],
                },
            )
        ],
    ),
    update=extend_schema(
        summary="Replace a report's fields (editors)",
        request=serializers.ArticleWriteSerializer,
        responses={200: serializers.ArticleDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change some of a report's fields, or submit it for review (editors)",
        request=serializers.ArticleWriteSerializer,
        responses={200: serializers.ArticleDetailSerializer},
        examples=[OpenApiExample("Submit for review", request_only=True, value={"status": "in_review"})],
    ),
    annotations=extend_schema(
        summary="A report's quotes and mentions as W3C Web Annotations (JSON-LD)",
        parameters=[
            OpenApiParameter(
                "page",
                OpenApiTypes.INT,
                enum=[1],
                description="`1` answers the collection's one AnnotationPage on its own (the id of "
                "`first`); without it, the AnnotationCollection.",
            )
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A W3C AnnotationCollection, or its page.")},
    ),
    annotation=extend_schema(
        operation_id="articles_annotation_retrieve",  # beside `annotations`: the path alone would name both so
        summary="One quote or mention as a W3C Web Annotation (the address in its `id`)",
        parameters=[
            OpenApiParameter(
                "annotation",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                pattern="^(quote|mention)-[0-9]+$",
                description="`quote-` or `mention-` and the annotation's id, as in `quote-12`.",
                examples=[OpenApiExample("A quote", value="quote-1")],
            )
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A W3C Annotation.")},
    ),
    text=extend_schema(
        summary="A report's body as plain text: what annotation offsets count into",
        description="Exactly the `body` of the detail answer, UTF-8; `start`/`end` of quotes, mentions and "
        "Web Annotations are code-point offsets into it.",
        responses={(200, "text/plain"): OpenApiTypes.STR},
    ),
    suggestions=extend_schema(
        summary="Machine suggestions for annotating a report (editors)",
        description="Mentions, quotes and dates the Arabic toolkit finds in the body, as spans; "
        "the same answer as `manage.py suggest_annotations ID --json`.",
        responses={200: serializers.SuggestionsSerializer},
    ),
)
class ArticleViewSet(
    ArchiveViewSet, mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.ListModelMixin
):
    resource = "articles"
    ranked = True
    filterset_class = filters.ArticleApiFilter
    serializer_class = serializers.ArticleDetailSerializer
    list_serializer_class = serializers.ArticleListSerializer
    export_serializer_class = serializers.ArticleExportSerializer
    lookup_value_regex = "[0-9]+"
    conditional_actions = {"retrieve", "annotations", "annotation", "text"}
    queryset = Article.objects.none()  # for DjangoModelPermissions; get_queryset() builds the real one

    def get_queryset(self):
        articles = Article.objects.visible_to(self.request.user)
        if self.action == "list":
            columns = self.get_serializer_class().Meta.columns
            return articles.only(*columns).annotate(source_slug=F("source__slug"))
        articles = articles.select_related("source")
        quotes = Prefetch("quotes", Quote.objects.select_related("speaker", "addressee", "meeting"))
        mentions = Prefetch("mentions", Mention.objects.select_related("participant", "place", "meeting", "agreement"))
        if self.action in {"annotations", "annotation"}:
            return articles.prefetch_related(quotes, mentions)
        if self.action in {"suggestions", "text"}:
            return articles
        return articles.prefetch_related(quotes, mentions, "meetings", "agreements", "topics", "participants")

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return serializers.ArticleWriteSerializer
        return super().get_serializer_class()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.request.query_params.get("collapse") == "copies":
            attach_copies(page, Article.objects.visible_to(self.request.user))  # one query, if any has copies
        return page

    def get_detail_serializer(self, instance):
        return serializers.ArticleDetailSerializer(instance, context=self.get_serializer_context())

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["Location"] = response.data["url"]
        return response

    @action(detail=True, methods=["get"], renderer_classes=[JSONLDRenderer, JSONRenderer])
    def annotations(self, request, pk=None):
        content_type = ANNOTATION_CONTENT_TYPE if request.accepted_renderer.format == "jsonld" else None
        page = request.query_params.get("page", "")
        if page not in {"", "1"}:
            raise exceptions.NotFound(_("A report's annotations are one page: page=1."))
        build = annotation_page if page == "1" else annotation_collection
        return Response(build(self.get_object(), request), content_type=content_type)

    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONLDRenderer, JSONRenderer],
        url_path=r"annotations/(?P<annotation>(?:quote|mention)-[0-9]{1,18})",
    )
    def annotation(self, request, pk=None, annotation=None):
        kind, number = annotation.split("-")
        found = single_annotation(self.get_object(), request, kind, int(number))
        if found is None:
            raise exceptions.NotFound()
        content_type = ANNOTATION_CONTENT_TYPE if request.accepted_renderer.format == "jsonld" else None
        return Response(found, content_type=content_type)

    @action(detail=True, methods=["get"], renderer_classes=[PlainTextRenderer])
    def text(self, request, pk=None):
        return Response(self.get_object().body)

    @action(detail=True, methods=["get"], permission_classes=[CanUseSuggestions], renderer_classes=[JSONRenderer])
    def suggestions(self, request, pk=None):
        article = self.get_object()
        # The service's answer is the contract (PRODUCT.md, `suggest_annotations --json`): passed on
        # as it is; SuggestionsSerializer only describes it in the schema.
        return Response(suggest_for_article(article))


# Annotations -------------------------------------------------------------------------------------


class AnnotationViewSet(
    ArchiveViewSet,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
):
    lookup_value_regex = "[0-9]+"

    def destroy_instance(self, instance):
        actions.delete_annotation(instance, user=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List quotes (of published reports, for the public)",
        parameters=[slug_param("speaker", "Speaker's participant slug.", "kerry")],
    ),
    retrieve=extend_schema(summary="One quote"),
)
class QuoteViewSet(AnnotationViewSet):
    resource = "quotes"
    filterset_class = filters.QuoteFilter
    serializer_class = serializers.QuoteSerializer
    queryset = Quote.objects.none()

    def get_queryset(self):
        return Quote.objects.visible_to(self.request.user).select_related("article", "speaker", "addressee", "meeting")

    @extend_schema(summary="One quote as a W3C Web Annotation (JSON-LD)", responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], renderer_classes=[JSONLDRenderer, JSONRenderer])
    def annotation(self, request, pk=None):
        content_type = ANNOTATION_CONTENT_TYPE if request.accepted_renderer.format == "jsonld" else None
        return Response(span_annotation(self.get_object(), request), content_type=content_type)


@extend_schema_view(
    list=extend_schema(summary="List mentions of participants, places, meetings and agreements"),
    retrieve=extend_schema(summary="One mention"),
)
class MentionViewSet(AnnotationViewSet):
    resource = "mentions"
    filterset_class = filters.MentionFilter
    serializer_class = serializers.MentionSerializer
    queryset = Mention.objects.none()

    def get_queryset(self):
        return Mention.objects.visible_to(self.request.user).select_related(
            "article", "participant", "place", "meeting", "agreement"
        )

    @extend_schema(summary="One mention as a W3C Web Annotation (JSON-LD)", responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], renderer_classes=[JSONLDRenderer, JSONRenderer])
    def annotation(self, request, pk=None):
        content_type = ANNOTATION_CONTENT_TYPE if request.accepted_renderer.format == "jsonld" else None
        return Response(span_annotation(self.get_object(), request), content_type=content_type)


@extend_schema_view(
    list=extend_schema(summary="List editors' notes (editors only)"),
    retrieve=extend_schema(summary="One note"),
)
class NoteViewSet(AnnotationViewSet):
    resource = "notes"
    filterset_class = filters.NoteFilter
    serializer_class = serializers.NoteSerializer
    permission_classes = [EditorsOnly]
    queryset = Note.objects.none()

    def get_queryset(self):
        return Note.objects.select_related("article", "author")


# The diplomatic record ---------------------------------------------------------------------------


class RecordViewSet(
    ArchiveViewSet, mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.ListModelMixin
):
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"  # a slug may be in Arabic letters (`allow_unicode`), as the public pages' are


@extend_schema_view(
    list=extend_schema(
        summary="List people, states and organisations",
        parameters=[
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                description="Part of a name or alias, either script.",
                examples=[OpenApiExample("An Arabic alias", value="لافروف"), OpenApiExample("Lavrov", value="Lavrov")],
            )
        ],
    ),
    retrieve=extend_schema(summary="One participant"),
)
class ParticipantViewSet(RecordViewSet):
    resource = "participants"
    filterset_class = filters.ParticipantFilter
    serializer_class = serializers.ParticipantSerializer
    queryset = Participant.objects.none()

    def get_queryset(self):
        return visible_records(Participant, self.request.user).prefetch_related("aliases", "offices")


@extend_schema_view(
    list=extend_schema(
        summary="List meetings, visits, talks, calls and conferences",
        parameters=[
            slug_param("participant", "Participant slug (repeat for meetings with all of them).", "kerry"),
            date_param("date_after", "Meetings still going on or after this date.", "2016-03-01"),
        ],
    ),
    retrieve=extend_schema(summary="One meeting"),
)
class MeetingViewSet(RecordViewSet):
    resource = "meetings"
    filterset_class = filters.MeetingFilter
    serializer_class = serializers.MeetingSerializer
    queryset = Meeting.objects.none()

    def get_queryset(self):
        participations = Prefetch("participations", Participation.objects.select_related("participant"))
        meetings = visible_records(Meeting, self.request.user)
        return meetings.select_related("place", "part_of").prefetch_related(participations, "topics")

    @extend_schema(
        summary="The meeting's reports compared across outlets: one row a quote (CSV and JSON Lines too)",
        description="Every row at once (a meeting's coverage is a page's worth): no pagination, no filters.",
        responses={
            200: inline_serializer(
                "MeetingComparison",
                {
                    "meeting": drf_serializers.CharField(help_text="The meeting's slug."),
                    "results": serializers.ComparedQuoteSerializer(many=True),
                },
            )
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def comparison(self, request, slug=None):
        meeting = self.get_object()
        comparison = outlet_comparison(meeting, Article.objects.visible_to(request.user))
        rows = serializers.ComparedQuoteSerializer(comparison_rows(comparison), many=True).data
        fmt = request.accepted_renderer.format
        if fmt in {"csv", "jsonl"}:
            return export_rows(rows, serializers.ComparedQuoteSerializer(), fmt, f"comparison-{meeting.slug}")
        return Response({"meeting": meeting.slug, "results": rows})


@extend_schema_view(
    list=extend_schema(
        summary="List agreements",
        parameters=[slug_param("party", "Participant slug of a party (repeat for all of them).", "russia")],
    ),
    retrieve=extend_schema(summary="One agreement"),
)
class AgreementViewSet(RecordViewSet):
    resource = "agreements"
    filterset_class = filters.AgreementFilter
    serializer_class = serializers.AgreementSerializer
    queryset = Agreement.objects.none()

    def get_queryset(self):
        parties = Prefetch("party_roles", AgreementParty.objects.select_related("participant"))
        # the meetings that negotiated it, of those the client may see
        negotiated_at = Prefetch("negotiated_at", visible_records(Meeting, self.request.user))
        return visible_records(Agreement, self.request.user).prefetch_related(parties, negotiated_at, "topics")


class ReferenceViewSet(ArchiveViewSet, mixins.RetrieveModelMixin, mixins.ListModelMixin):
    """Sources, topics and places: read-only here (editors keep them in the admin)."""

    resource = "named"
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"  # a slug may be in Arabic letters (`allow_unicode`), as the public pages' are

    def get_queryset(self):
        return visible_records(self.queryset.model, self.request.user)


@extend_schema_view(
    list=extend_schema(summary="List sources (outlets)"),
    retrieve=extend_schema(summary="One source"),
)
class SourceViewSet(ReferenceViewSet):
    filterset_class = filters.SourceFilter
    serializer_class = serializers.SourceSerializer
    queryset = Source.objects.none()


@extend_schema_view(
    list=extend_schema(summary="List topics"),
    retrieve=extend_schema(summary="One topic"),
)
class TopicViewSet(ReferenceViewSet):
    filterset_class = filters.TopicFilter
    serializer_class = serializers.TopicSerializer
    queryset = Topic.objects.none()


@extend_schema_view(
    list=extend_schema(summary="List places"),
    retrieve=extend_schema(summary="One place"),
)
class PlaceViewSet(ReferenceViewSet):
    filterset_class = filters.PlaceFilter
    serializer_class = serializers.PlaceSerializer
    queryset = Place.objects.none()


__all__ = [
    "AgreementViewSet",
    "ArticleViewSet",
    "MeetingViewSet",
    "MentionViewSet",
    "NoteViewSet",
    "ParticipantViewSet",
    "PlaceViewSet",
    "QuoteViewSet",
    "SourceViewSet",
    "TopicViewSet",
]


class SignInLocked(exceptions.Throttled):
    default_detail = _("Too many wrong passwords for this account or from this address; try again later.")
    default_code = "locked_out"


class TokenView(ObtainAuthToken):
    """`POST auth/token/`: a token for a username and password, behind the same brute-force guard
    as the admin's login (django-axes, settings.AXES_*) and the anonymous throttle."""

    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES
    parser_classes = [parsers.FormParser, parsers.MultiPartParser, LimitedJSONParser]
    serializer_class = serializers.TokenRequestSerializer

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # The guard marks the request when the account or the address is locked out; the
            # password is then not even tried, and the answer says to wait, not that it was wrong.
            if getattr(request, "axes_locked_out", False):
                raise SignInLocked(wait=int(settings.AXES_COOLOFF_TIME.total_seconds()))
            raise exceptions.ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


# Changes, for mirrors ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Changes to the public archive since a moment: reports published, corrected, withdrawn",
        description="Oldest first. A client that keeps a copy asks with `since` = the `at` of the last "
        "change it applied (or follows `next`), fetches each published or corrected report again, and "
        "deletes each withdrawn one. `what` names what changed (fields, annotation ids), never text.",
    )
)
class ChangeViewSet(ArchiveViewSet, mixins.ListModelMixin):
    resource = "changes"
    filterset_class = filters.ChangeFilter
    serializer_class = serializers.ChangeSerializer
    permission_classes = [permissions.AllowAny]
    queryset = Change.objects.none()

    def get_queryset(self):
        return Change.objects.only("id", "article_id", "kind", "at", "what")


@extend_schema_view(
    list=extend_schema(summary="List evidence: passages supporting a meeting's or an agreement's fields"),
    retrieve=extend_schema(summary="One piece of evidence"),
)
class EvidenceViewSet(ArchiveViewSet, mixins.RetrieveModelMixin, mixins.ListModelMixin):
    resource = "evidence"
    filterset_class = filters.EvidenceFilter
    serializer_class = serializers.EvidenceSerializer
    lookup_value_regex = "[0-9]+"
    queryset = Evidence.objects.none()

    def get_queryset(self):
        return Evidence.objects.visible_to(self.request.user).select_related("meeting", "agreement", "participant")

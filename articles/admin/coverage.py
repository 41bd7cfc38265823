"""The editors' admin for the coverage: reports, their annotations, sources.

A report's change page shows its body as printed with its annotations
highlighted, and lets an editor select a passage and annotate it without
leaving the page (`articles/admin/annotator.py`). Status moves only through
`articles.workflow`, whether from the form's status field or a bulk action,
so only reviewers publish, withdraw or reopen. Every save calls `articles.actions`.
"""

import datetime
import json
from functools import reduce
from operator import or_

from django.contrib import admin, messages
from django.contrib.admin.options import ShowFacets
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from articles import actions, workflow
from articles.admin.annotator import AnnotationViewsMixin
from articles.admin.concurrency import LOADED, ConcurrentEditForm, ConcurrentEditMixin
from articles.admin.importer import ImportViewMixin
from articles.admin.search import NormalizedSearchMixin
from articles.duplicates import near_duplicates
from articles.models import Article, Evidence, Mention, Note, Quote, Source, Synonym, normalize_newlines
from articles.suggestions import suggest_approximate_date
from diplomacy.models import DatePrecision

# Fields that record who moved a report through the workflow. They are never
# edited in a form, and a restored old version keeps the current values.
WORKFLOW_STAMPS = (
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "published_by",
    "published_at",
)


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to `estimate_above` rows; beyond, on PostgreSQL, estimates.

    `COUNT(*)` reads every matching row. An unfiltered list of a big table
    reads the planner's row estimate in `pg_class.reltuples` (kept by
    autovacuum and ANALYZE), which is free. A filtered or searched list counts
    at most `estimate_above + 1` rows (`COUNT(*)` over a `LIMIT`): exact when
    fewer match, else the planner's estimate of the filter (never below what
    was counted), so a filter that keeps most of a million reports does not
    read them all. Small tables, tables never analysed and SQLite get the
    exact count.
    """

    estimate_above = 10_000

    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        connection = connections[getattr(queryset, "db", "default")]
        if query is None or connection.vendor != "postgresql":
            return super().count
        if not query.where and not query.distinct:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] is not None and row[0] >= self.estimate_above:
                return int(row[0])
            return super().count
        counted = queryset.order_by()[: self.estimate_above + 1].count()
        if counted <= self.estimate_above:
            return counted
        sql, params = queryset.order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return max(counted, int(plan[0]["Plan"]["Plan Rows"]))


class LanguageFilter(admin.SimpleListFilter):
    """The report's language from the archive's fixed list (`Article.Language`), and "another language".

    Django's filter on the field asks the database which values occur, `SELECT DISTINCT language`
    over every report (258 ms at 100,000 reports under load): the list is known without asking.
    """

    title = _("language")
    parameter_name = "language"
    OTHER = "other"

    def lookups(self, request, model_admin):
        return [*Article.Language.choices, (self.OTHER, _("another language"))]

    def queryset(self, request, queryset):
        if self.value() == self.OTHER:
            # "not one of these" as ranges between them, which the index `article_language_published` reads
            known = sorted(Article.Language.values)
            ranges = [Q(language__lt=known[0]), Q(language__gt=known[-1])]
            ranges += [Q(language__gt=low, language__lt=high) for low, high in zip(known, known[1:], strict=False)]
            return queryset.filter(reduce(or_, ranges))
        if self.value() in Article.Language.values:
            return queryset.filter(language=self.value())
        return queryset


class NamedSourceFilter(admin.RelatedOnlyFieldListFilter):
    """The sources some report names, each asked for with `EXISTS` (an index probe per source).

    Django's `RelatedOnlyFieldListFilter` asks `source_id IN (SELECT DISTINCT source_id FROM
    articles_article)`, which reads every report.
    """

    def field_choices(self, field, request, model_admin):
        reports = model_admin.get_queryset(request).order_by().filter(**{self.field_path: OuterRef("pk")})
        return field.get_choices(
            include_blank=False,
            limit_choices_to=Q(Exists(reports)),
            ordering=self.field_admin_ordering(field, request, model_admin),
        )


class IndexedDates:
    """A QuerySet mixin whose `dates()` (the admin's date hierarchy) walks an index.

    Django asks `SELECT DISTINCT DATE_TRUNC('year', published)` over every report of the list
    (123 ms at 100,000 reports under load, growing with the archive). Here one recursive query asks
    for the earliest date of the list, then for the earliest after that year (month, day), and so
    on: one index probe per year shown, whatever the number of reports, as long as the list's
    filter is met often along the dates. A list the changelist counted at 10,000 reports or fewer
    (a search for a rare word, a small filter: `walk_dates` off) is read once instead, as Django
    does, which costs at most those rows; walking would read every report of the years without a
    match. A list whose query joins other tables gets Django's way too.
    """

    KINDS = ("year", "month", "day")
    walk_dates = True

    def _clone(self):
        clone = super()._clone()
        clone.walk_dates = self.walk_dates
        return clone

    def dates(self, field_name, kind, order="ASC"):
        connection = connections[self.db]
        query = self.query
        joined = [alias for alias in query.alias_map if alias != query.base_table and query.alias_refcount[alias]]
        if not self.walk_dates or kind not in self.KINDS or joined:
            return super().dates(field_name, kind, order)
        inner, params = (
            self.order_by().annotate(hierarchy_date=F(field_name)).values_list("hierarchy_date").query.sql_with_params()
        )
        if connection.vendor == "postgresql":
            after = f"(DATE_TRUNC('{kind}', found.day::timestamp) + INTERVAL '1 {kind}')::date"
            truncated = f"DATE_TRUNC('{kind}', day::timestamp)::date"
        else:  # SQLite's date functions
            start = {"year": "'start of year', ", "month": "'start of month', ", "day": ""}[kind]
            after = f"date(found.day, {start}'+1 {kind}')"
            truncated = f"date(day{', ' + start.rstrip(', ') if start else ''})"
        sql = (
            "WITH RECURSIVE found(day) AS ("
            f"SELECT (SELECT MIN(hierarchy_date) FROM ({inner}) AS s) "
            "UNION ALL "
            f"SELECT (SELECT MIN(hierarchy_date) FROM ({inner}) AS s WHERE hierarchy_date >= {after}) "
            "FROM found WHERE found.day IS NOT NULL"
            f") SELECT {truncated} FROM found WHERE day IS NOT NULL ORDER BY 1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *params])
            found = [day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day) for (day,) in cursor]
        return found[::-1] if order == "DESC" else found


class IndexedDatesChangeList(ChangeList):
    """The reports' changelist: its date hierarchy reads an index (`IndexedDates`), its page leaves out
    the bodies (a list shows none: 50 bodies to read and decode for nothing)."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        queryset.__class__ = _indexed_dates_class(type(queryset))
        return queryset

    def get_results(self, request):
        listed = self.queryset
        self.queryset = listed.defer("body")
        try:
            super().get_results(request)
        finally:
            self.queryset = listed
        # a list of at most this many reports is cheaper to read once than to walk (see IndexedDates)
        self.queryset.walk_dates = self.result_count > self.paginator.estimate_above


_INDEXED_DATES_CLASSES = {}


def _indexed_dates_class(queryset_class):
    if issubclass(queryset_class, IndexedDates):
        return queryset_class
    if queryset_class not in _INDEXED_DATES_CLASSES:
        _INDEXED_DATES_CLASSES[queryset_class] = type(
            f"IndexedDates{queryset_class.__name__}", (IndexedDates, queryset_class), {}
        )
    return _INDEXED_DATES_CLASSES[queryset_class]


# The date hierarchy's and the date filter's parameters: each lists only reports with a printed date.
PUBLISHED_BOUNDS = ("published__year", "published__month", "published__day", "published__gte", "published__lt")


class ArticleAdminForm(ConcurrentEditForm):
    """The status field offers only the moves this user may make from the stored status."""

    request_user = None  # set by ArticleAdmin.get_form; the model and fields come from the admin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.stored_status = self.instance.status  # a page being shown: the report was just read
        else:
            self.stored_status = (
                Article.objects.filter(pk=self.instance.pk).values_list("status", flat=True).first()
                if self.instance.pk
                else None
            ) or Article.Status.DRAFT
        if "status" in self.fields:
            allowed = workflow.allowed_targets(self.stored_status, self.request_user)
            self.fields["status"].choices = [(v, label) for v, label in Article.Status.choices if v in allowed]
            self.fields["status"].help_text = _(
                "Editors submit a report for review; only reviewers publish, withdraw or reopen it."
            )
            if self.initial.get("status") not in allowed:
                self.initial["status"] = self.stored_status
        if "approximate_precision" in self.fields:
            # only means something beside an approximate date: a form that leaves it out keeps the stored one
            self.fields["approximate_precision"].required = False

    def clean_approximate_precision(self):
        return self.cleaned_data.get("approximate_precision") or self.instance.approximate_precision

    def clean_status(self):
        target = self.cleaned_data["status"]
        if target != self.stored_status:
            try:
                workflow.check_transition(current=self.stored_status, target=target, user=self.request_user)
            except PermissionDenied as error:
                raise ValidationError(str(error), code="permission") from None
        return target

    def _post_clean(self):
        super()._post_clean()
        # The text the browser sent back, with its line ends as the archive stores them, so a save
        # without a change compares equal (and one that duplicates another report is refused here).
        self.instance.body = normalize_newlines(self.instance.body or "")
        try:
            actions.refuse_duplicate(self.instance)
        except ValidationError as error:
            self._update_errors(error)


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin, where restoring an old version is refused when its button is hidden.

    The revert form saves through `save_model`, so the workflow and span checks
    apply to a restored version as to any edit; `revert_disabled` says who may
    restore at all, and is enforced here for a POST too, not only in the template.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or self.revert_disabled(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Article)
class ArticleAdmin(
    ImportViewMixin, ConcurrentEditMixin, AnnotationViewsMixin, NormalizedSearchMixin, GuardedHistoryAdmin
):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_display = ["title", "source", "published", "status", "submitted_by", "published_by", "updated_at"]
    # No list filter reads the reports to offer its choices (docs/performance.md, "Admin, exports, imports").
    list_filter = ["status", LanguageFilter, ("source", NamedSourceFilter), "published", "published_at"]
    list_select_related = ["source", "submitted_by", "published_by"]
    search_fields = ["title", "byline"]
    search_folded_fields = ("title", "byline")  # in the column `search_folded`, indexed (migration 0008)
    date_hierarchy = "published"
    autocomplete_fields = ["source", "meetings", "agreements", "topics"]
    show_full_result_count = False
    show_facets = ShowFacets.NEVER  # facets count every filter's choices over every report
    paginator = EstimatedCountPaginator
    list_per_page = 50
    actions = ["submit_for_review", "return_to_draft", "publish", "withdraw"]
    # The quotes, mentions and notes are listed under the form from the rows the annotator
    # already loaded (admin/articles/article/annotation_lists.html), not as inline formsets:
    # 300 read-only inline forms cost seconds to render and add nothing an editor can change.
    readonly_fields = [
        "content_hash",
        "created_at",
        "updated_at",
        "imported_by",
        "edited_by",
        *WORKFLOW_STAMPS,
        "same_text_elsewhere",
        "suggested_date",
    ]
    fieldsets = [
        (None, {"fields": ["title", "body", "status"]}),
        (_("Publication"), {"fields": ["source", "published", "language", "url", "byline", "same_text_elsewhere"]}),
        (
            _("Approximate date (only when the report prints none)"),
            {"fields": [("approximate_date", "approximate_precision"), "approximate_basis", "suggested_date"]},
        ),
        (_("What the report covers"), {"fields": ["meetings", "agreements", "topics"]}),
        (
            _("Workflow"),
            {
                "fields": [
                    ("imported_by", "created_at"),
                    ("edited_by", "updated_at"),
                    ("submitted_by", "submitted_at"),
                    ("reviewed_by", "reviewed_at"),
                    ("published_by", "published_at"),
                    "content_hash",
                ]
            },
        ),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"request_user": request.user})

    def get_changelist(self, request, **kwargs):
        return IndexedDatesChangeList

    def get_ordering(self, request):
        if any(request.GET.get(bound) for bound in PUBLISHED_BOUNDS):
            # Only reports with a printed date are listed, whose `dated` is `published`: the same order
            # as the model's, read from the index `article_newest_first` (published DESC NULLS LAST,
            # id DESC) instead of sorting every report of the period (a year of a million: 100,000).
            return [F("published").desc(nulls_last=True), "-id"]
        return super().get_ordering(request)

    @admin.display(description=_("same text elsewhere"))
    def same_text_elsewhere(self, obj):
        """Other reports carrying this text (a wire story several outlets printed), for the editor to check."""
        if obj is None or obj.pk is None:
            return "—"
        found = near_duplicates(f"{obj.title}\n{obj.body}", exclude=obj.pk)
        if not found:
            return _("No other report carries this text.")
        others = Article.objects.select_related("source").in_bulk([pk for pk, _score in found])
        items = []
        for pk, score in found:
            other = others[pk]
            if other.source_id and other.source_id != obj.source_id:
                where = _("from another outlet, %(source)s") % {"source": other.source}
            else:
                where = _("from the same outlet") if other.source_id else ""
            label = _("this text is %(percent)s%% the same as report %(id)s %(where)s") % {
                "percent": round(score * 100),
                "id": pk,
                "where": where,
            }
            items.append(
                format_html('<li><a href="{}">{}</a></li>', reverse("admin:articles_article_change", args=[pk]), label)
            )
        return format_html("<ul>{}</ul>", mark_safe("".join(items)))

    @admin.display(description=_("suggested approximate date"))
    def suggested_date(self, obj):
        """The toolkit's reading of the report's events, for the editor to copy into the fields above."""
        found = suggest_approximate_date(obj) if obj is not None and obj.pk else None
        if found is None:
            return "—"
        return f"{found['date'].isoformat()} ({DatePrecision(found['precision']).label}) — {found['basis']}"

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.may_edit(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def revert_disabled(self, request, obj=None):
        # Restoring a report's old version is for reviewers: an editor could otherwise bring back
        # a text that was published, or undo a reviewer's correction, without a review.
        return super().revert_disabled(request, obj) or not workflow.can_publish(request.user)

    def save_model(self, request, obj, form, change):
        """Every save goes through the actions: a new report, or an edit of the stored one.

        A restored old version is an edit like any other: it keeps the real record of who reviewed and
        published (the workflow's stamps are never form fields).
        """
        data = form.cleaned_data
        relations = {name: data[name] for name in actions.ARTICLE_RELATIONS if name in data}
        values = {name: data[name] for name in actions.ARTICLE_FIELDS if name in data}
        if not change:
            actions.create_article(
                user=request.user,
                status=data.get("status", Article.Status.DRAFT),
                relations=relations,
                instance=obj,
                **values,
            )
            return
        stored = Article.objects.get(pk=obj.pk)
        result = actions.edit_article(
            stored,
            user=request.user,
            values=values,
            relations=relations,
            status=data.get("status"),
            expected_version=data.get(LOADED) or None,
        )
        for f in Article._meta.concrete_fields:
            setattr(obj, f.attname, getattr(stored, f.attname))
        self.report_reanchoring(request, result.reanchored)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except actions.StaleEdit as error:  # another save landed between this form's check and its save
            self.message_user(request, error.messages[0], messages.ERROR)
            return HttpResponseRedirect(request.path)

    def save_related(self, request, form, formsets, change):
        # The coverage (meetings, agreements, topics) was set by the action in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def report_reanchoring(self, request, result):
        if result.moved:
            self.message_user(
                request,
                ngettext(
                    "The body changed: %(n)d annotation was moved to follow its text.",
                    "The body changed: %(n)d annotations were moved to follow their text.",
                    result.moved,
                )
                % {"n": result.moved},
                messages.INFO,
            )
        if result.flagged:
            self.message_user(
                request,
                ngettext(
                    "%(n)d annotation lost its text and needs attention.",
                    "%(n)d annotations lost their text and need attention.",
                    result.flagged_count,
                )
                % {"n": result.flagged_count},
                messages.WARNING,
            )

    # Bulk actions: each report moves through the workflow on its own; those that
    # cannot make the move (wrong status) are counted and named, not forced.
    def _bulk_transition(self, request, queryset, move, done_message):
        moved, refused = 0, []
        for article in queryset:
            try:
                move(article, user=request.user)
                moved += 1
            except (ValidationError, PermissionDenied):
                refused.append(article.title)
        if moved:
            self.message_user(request, done_message % {"n": moved}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                _("Not moved, their status does not allow it: %(titles)s") % {"titles": "، ".join(refused)},
                messages.WARNING,
            )

    @admin.action(description=_("Submit the selected reports for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._bulk_transition(request, queryset, workflow.submit_for_review, _("%(n)d reports submitted for review."))

    @admin.action(description=_("Return the selected reports to draft"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self._bulk_transition(request, queryset, workflow.return_to_draft, _("%(n)d reports returned to draft."))

    @admin.action(description=_("Publish the selected reports"), permissions=["publish"])
    def publish(self, request, queryset):
        self._bulk_transition(request, queryset, workflow.publish, _("%(n)d reports published."))

    @admin.action(description=_("Withdraw the selected reports"), permissions=["publish"])
    def withdraw(self, request, queryset):
        self._bulk_transition(request, queryset, workflow.withdraw, _("%(n)d reports withdrawn."))


class SpanAdminForm(ConcurrentEditForm):
    """A span's text may be left blank: it is then taken from the body between start and end."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            self.fields["text"].required = False
            self.fields["text"].strip = False  # the passage as printed, spaces included
            self.fields["text"].help_text = _("Left blank, it is copied from the body between start and end.")

    def clean(self):
        cleaned = super().clean()
        article, start, end = cleaned.get("article"), cleaned.get("start"), cleaned.get("end")
        if article is not None and start is not None and end is not None and not cleaned.get("text"):
            cleaned["text"] = article.body[start:end]
            self.instance.text = cleaned["text"]
        return cleaned


class AnnotationAdmin(ConcurrentEditMixin, NormalizedSearchMixin, GuardedHistoryAdmin):
    """Shared by quotes, mentions and notes: the span fields, speed settings, the publish rule."""

    form = SpanAdminForm
    search_fields = ["text", "article__title"]
    list_filter = ["needs_attention", "article__status"]
    autocomplete_fields = ["article"]
    show_full_result_count = False
    show_facets = ShowFacets.NEVER  # facets count every filter's choices over every annotation
    paginator = EstimatedCountPaginator
    list_per_page = 100
    span_fields = ["article", "start", "end", "text", "needs_attention"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.may_edit(request.user, obj.article))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.may_edit(request.user, obj.article))

    def save_model(self, request, obj, form, change):
        fields = [name for name in form.cleaned_data if name in {f.name for f in obj._meta.fields}]
        values = {name: form.cleaned_data[name] for name in fields if name not in ("article", "needs_attention")}
        co_speakers = form.cleaned_data.get("co_speakers")
        if change:
            stored = type(obj).objects.get(pk=obj.pk)
            actions.change_annotation(stored, user=request.user, co_speakers=co_speakers, **values)
        else:
            values.pop("author", None)
            stored = actions.create_annotation(
                obj._meta.model_name,
                article=form.cleaned_data["article"],
                user=request.user,
                co_speakers=co_speakers,
                **values,
            )
        obj.pk = stored.pk
        for f in obj._meta.concrete_fields:
            setattr(obj, f.attname, getattr(stored, f.attname))

    def save_related(self, request, form, formsets, change):
        pass  # co-speakers were set by the action in save_model

    def delete_model(self, request, obj):
        actions.delete_annotation(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("article"):
            actions.delete_annotation(obj, user=request.user)

    @admin.display(description=_("passage"), ordering="text")
    def passage(self, obj):
        return obj.text[:120]


@admin.register(Quote)
class QuoteAdmin(AnnotationAdmin):
    list_display = ["passage", "speaker", "addressee", "kind", "article", "needs_attention"]
    list_filter = ["kind", *AnnotationAdmin.list_filter]
    list_select_related = ["article", "speaker", "addressee"]
    autocomplete_fields = ["article", "speaker", "co_speakers", "addressee", "meeting"]
    fields = [*AnnotationAdmin.span_fields, "speaker", "co_speakers", "addressee", "kind", "meeting", "translation_en"]


@admin.register(Mention)
class MentionAdmin(AnnotationAdmin):
    list_display = ["passage", "participant", "place", "meeting", "agreement", "article", "needs_attention"]
    list_select_related = ["article", "participant", "place", "meeting", "agreement"]
    autocomplete_fields = ["article", "participant", "place", "meeting", "agreement"]
    fields = [*AnnotationAdmin.span_fields, "participant", "place", "meeting", "agreement"]


@admin.register(Note)
class NoteAdmin(AnnotationAdmin):
    list_display = ["passage", "note", "author", "article", "needs_attention"]
    list_select_related = ["article", "author"]
    search_fields = ["text", "note", "article__title"]
    fields = [*AnnotationAdmin.span_fields, "note", "author"]
    readonly_fields = ["author"]


@admin.register(Evidence)
class EvidenceAdmin(AnnotationAdmin):
    list_display = ["passage", "field", "meeting", "agreement", "participant", "article", "needs_attention"]
    list_filter = ["field", *AnnotationAdmin.list_filter]
    list_select_related = ["article", "meeting", "agreement", "participant"]
    autocomplete_fields = ["article", "meeting", "agreement", "participant"]
    fields = [*AnnotationAdmin.span_fields, "meeting", "agreement", "field", "participant"]


@admin.register(Source)
class SourceAdmin(NormalizedSearchMixin, admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "country", "url"]
    list_filter = ["country"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    show_full_result_count = False


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """Spellings no normalisation rule joins, which editors add for search to expand."""

    list_display = ["words", "created_at"]
    search_fields = ["words"]
    ordering = ["words"]

"""Background jobs (articles/tasks.py), read-only: what runs, how far it got, and what it produced.

An import shows its files as parts: each file's outcome, the reports it holds and its error.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import BackgroundJob, BackgroundJobItem


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BackgroundJobItemInline(admin.TabularInline):
    model = BackgroundJobItem
    fields = ["name", "outcome", "ids", "error", "finished_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BackgroundJob)
class BackgroundJobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "progress", "outcome", "requested_by", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["requested_by"]
    search_fields = ["description"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "status",
        "description",
        "progress",
        "outcome",
        "parameters",
        "result",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    inlines = [BackgroundJobItemInline]

    @admin.display(description=_("progress"))
    def progress(self, job):
        if job.total:
            return f"{job.done}/{job.total}" + (f" · {job.progress_note}" if job.progress_note else "")
        return job.progress_note or "—"

    @admin.display(description=_("outcome"))
    def outcome(self, job):
        result = job.result or {}
        if job.kind == BackgroundJob.Kind.IMPORT and "files" in result:
            return _("%(files)s files, %(reports)s reports (%(new)s new), %(errors)s errors") % {
                "files": result["files"],
                "reports": result["reports"],
                "new": len(result["new_reports"]),
                "errors": result["errors"],
            }
        if "error" in result:
            return result["error"]
        if job.kind == BackgroundJob.Kind.PDF and "rendered" in result:
            return (
                _(
                    "%(reports)s reports: %(rendered)s PDFs set, %(cached)s already cached, "
                    "%(preparing)s being set elsewhere; %(not_public)s reports no longer public"
                )
                % result
            )
        if job.kind == BackgroundJob.Kind.SUGGEST and "reports" in result:
            return _("%(reports)s reports: %(mentions)s mentions, %(quotes)s quotes, %(dates)s dates") % result
        if "reports" in result:
            return _("%(reports)s reports") % result
        if "charts" in result:
            return _("%(charts)s charts") % result
        return "—"

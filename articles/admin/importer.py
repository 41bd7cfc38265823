"""Importing reports from the admin: editors upload files instead of asking for a shell.

`.txt` and `.jsonl` files (several at once) go in as `import_articles` takes
them, each file whole or not at all, with the same per-file results; uploads
larger than `ADMIN_BACKGROUND_IMPORT_BYTES` together become a background job
(articles/tasks.py) that the editor follows on its admin page. Saved web
pages (`.html`) are read by trafilatura: the article's text, and its title,
date, byline and outlet from the page's metadata, are shown to the editor to
correct and confirm before anything is saved. Both end in `articles.actions`.
"""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import actions, workflow
from articles.importing import SUFFIXES, BadImport, FileResult, ParsedArticle, parse_bytes
from articles.models import Article
from articles.tasks import start_import

HTML = (".html", ".htm")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files if item]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Files"),
        help_text=gettext_lazy("Plain-text reports (.txt), JSON Lines (.jsonl) or saved web pages (.html)."),
        widget=MultipleFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )
    status = forms.ChoiceField(label=gettext_lazy("status of new reports"))
    as_new = forms.BooleanField(
        label=gettext_lazy("Keep both when a report with the same title and source has another text"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = workflow.allowed_targets(Article.Status.DRAFT, user)
        self.fields["status"].choices = [(v, label) for v, label in Article.Status.choices if v in allowed]


class PageForm(forms.Form):
    """One saved page as trafilatura read it, for the editor to correct and confirm."""

    keep = forms.BooleanField(label=gettext_lazy("Import this page"), required=False, initial=True)
    name = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label=gettext_lazy("title"), max_length=500)
    source = forms.CharField(label=gettext_lazy("source"), max_length=200, required=False)
    published = forms.DateField(label=gettext_lazy("publication date"), required=False)
    byline = forms.CharField(label=gettext_lazy("byline"), max_length=300, required=False)
    url = forms.URLField(label=gettext_lazy("address"), max_length=1000, required=False, assume_scheme="https")
    body = forms.CharField(label=gettext_lazy("body"), widget=forms.Textarea(attrs={"rows": 12}), strip=False)


class ImportViewMixin:
    """For ArticleAdmin: `import/`, the upload page."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": _("Import reports")}
        if request.method == "POST" and request.POST.get("step") == "confirm":
            return self._confirm(request, context)
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            results, pages, job = self._upload(request, form.cleaned_data)
            context.update(results=results, pages=pages, job=job, status=form.cleaned_data["status"])
            context["as_new"] = form.cleaned_data["as_new"]
        context["form"] = form
        return render(request, "admin/articles/article/import.html", context)

    def _upload(self, request, data):
        """Import the report files now (or as a background job when they are large); read the web pages into
        forms to confirm. (results, page forms, the job or None)"""
        results, pages = [], []
        limit = settings.ARTICLE_IMPORT_MAX_BYTES
        # an upload over the limit is refused here, never queued (a worker streams the JSON Lines files it reads)
        files = [u for u in data["files"] if not u.name.lower().endswith(HTML) and u.size <= limit]
        job = None
        if files and sum(u.size for u in files) > settings.ADMIN_BACKGROUND_IMPORT_BYTES:
            job = self._in_background(request, files, data)
        for upload in data["files"]:
            if job is not None and upload in files:
                continue
            too_big = upload.size > limit
            content = b"" if too_big else upload.read()
            if upload.name.lower().endswith(HTML) and not too_big:
                try:
                    [parsed] = parse_bytes(upload.name, content)
                except BadImport as error:
                    results.append(FileResult(path=upload.name, status="error", error=f"{upload.name}: {error}"))
                    continue
                pages.append(PageForm(prefix=f"page-{len(pages)}", initial={**parsed.__dict__, "name": upload.name}))
                continue
            if too_big:
                message = f"{upload.name}: the file is {upload.size:,} bytes, over the limit of {limit:,} bytes"
                results.append(FileResult(path=upload.name, status="error", error=message))
                continue
            results.append(
                actions.import_file(
                    upload.name, data=content, status=data["status"], user=request.user, as_new=data["as_new"]
                )
            )
        return results, pages, job

    def _in_background(self, request, files, data):
        """Keep the uploads where the workers can read them, and queue their import, a task a file."""
        folder = Path(settings.IMPORT_UPLOAD_DIR) / uuid.uuid4().hex
        folder.mkdir(parents=True)
        paths = []
        for number, upload in enumerate(files):
            path = folder / f"{number:04d}-{Path(upload.name).name}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            paths.append(path)
        return start_import(paths, status=data["status"], user=request.user, as_new=data["as_new"])

    def _confirm(self, request, context):
        count = int(request.POST.get("pages", "0") or 0) if request.POST.get("pages", "").isdigit() else 0
        pages = [PageForm(request.POST, prefix=f"page-{i}") for i in range(min(count, 100))]
        status = request.POST.get("status", Article.Status.DRAFT)
        if status not in workflow.allowed_targets(Article.Status.DRAFT, request.user):
            status = Article.Status.DRAFT
        results = []
        if all(page.is_valid() for page in pages):
            for page in pages:
                values = page.cleaned_data
                if not values["keep"]:
                    continue
                parsed = ParsedArticle(
                    title=values["title"],
                    body=values["body"],
                    source=values["source"],
                    published=values["published"],
                    url=values["url"],
                    byline=values["byline"],
                )
                results.append(
                    actions.import_parsed(
                        values["name"],
                        [parsed],
                        status=status,
                        user=request.user,
                        as_new=bool(request.POST.get("as_new")),
                    )
                )
            pages = []
        context.update(results=results, pages=pages, status=status, as_new=bool(request.POST.get("as_new")))
        context["form"] = UploadForm(user=request.user)
        return render(request, "admin/articles/article/import.html", context)

"""The charts page, each chart as PNG and CSV, the small timelines, and a report as PDF.

Filters that do not validate answer 400 with the reason (the page shows the
form with its errors); they never reach a query.
"""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from articles.charts import data as charts
from articles.charts.pdf import pdf_permalink, reports_for_pdf, serve_pdf
from articles.models import visible_records
from articles.previews import mark_unpublished
from diplomacy.models import Agreement, Participant

# Browsers may keep an image a short while; the server cache is what follows the data.
IMAGE_MAX_AGE = 60
# A PDF another process is setting: the page saying so reloads itself after this many seconds.
PDF_RETRY_SECONDS = 2


def _chart_name(name):
    if name not in charts.CHARTS:
        raise Http404(_("There is no chart called %(name)s.") % {"name": name})
    return name


def _bad_filters(error):
    lines = [_("These chart filters are not valid:")]
    lines += [f"{field}: {' '.join(messages)}" for field, messages in error.errors.items()]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def charts_page(request):
    filterset = charts.bound_filter(request.GET)
    if not filterset.is_valid():
        context = {"filter": filterset, "charts": [], "query": ""}
        return render(request, "charts/index.html", context, status=400)
    entries = [{"name": name, "table": charts.chart_table(name, filterset)} for name in charts.CHARTS]
    context = {"filter": filterset, "charts": entries, "query": request.GET.urlencode()}
    return render(request, "charts/index.html", context)


@require_safe
def chart_image(request, name):
    name = _chart_name(name)
    try:
        image = charts.chart_png(name, charts.bound_filter(request.GET))
    except charts.InvalidFilters as error:
        return _bad_filters(error)
    response = HttpResponse(image, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}"
    return response


@require_safe
def chart_csv(request, name):
    name = _chart_name(name)
    try:
        table = charts.chart_table(name, charts.bound_filter(request.GET))
    except charts.InvalidFilters as error:
        return _bad_filters(error)
    response = HttpResponse(table.csv_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chart-{name}-{get_language()}.csv"'
    return response


@require_safe
def participant_timeline(request, slug):
    # the public view, like the charts: a participant no published report reaches is not found
    participant = get_object_or_404(visible_records(Participant, None), slug=slug)
    response = HttpResponse(charts.timeline_png("participant", participant), content_type="image/png")
    response["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}"
    return response


@require_safe
def agreement_timeline(request, slug):
    agreement = get_object_or_404(visible_records(Agreement, None), slug=slug)
    response = HttpResponse(charts.timeline_png("agreement", agreement), content_type="image/png")
    response["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}"
    return response


@require_safe
def article_pdf(request, pk):
    """The report as PDF, for whoever may read its page: a draft is not found, except by an editor,
    who previews it as on the report page (never cached for anyone else: `articles.previews`).

    Who may read it is asked of the database on every request, before the cache: a withdrawn
    report's PDF is not found even while a copy of it is still cached. A published report's PDF
    comes from the shared cache, or is set now and cached; while another process is setting this
    very PDF, a short page says so and reloads itself (202, `Retry-After`), instead of waiting.
    """
    article = get_object_or_404(reports_for_pdf(request.user), pk=pk)
    content, _how = serve_pdf(article, permalink=pdf_permalink(article, request))
    if content is None:
        context = {"article": article, "retry": PDF_RETRY_SECONDS}
        response = render(request, "charts/pdf_preparing.html", context, status=202)
        response["Retry-After"] = str(PDF_RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{article.pk}.pdf"'
    return mark_unpublished(response, article)

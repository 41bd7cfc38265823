"""A report as PDF (for whoever may read its page): title, source and date, the body as printed with its quotes marked
and their speakers named, the meetings and agreements it covers, and how to cite it.

The page is HTML (`templates/charts/article.pdf.html`) set by WeasyPrint, which shapes Arabic
with HarfBuzz through Pango and writes each glyph's characters back into the PDF. So the text a
reader searches, copies or extracts is the printed Arabic in logical order with its diacritics,
not presentation forms in visual order; the document is tagged, carries its language (`/Lang`) and
title, and names the byline as its author (the outlet when there is none). The font is matplotlib's
DejaVu Sans, the one the charts use (`articles.arabic.shaping.font_path`), embedded as a subset.

Setting a report takes WeasyPrint a few hundred milliseconds, so a published report's PDF is kept
in the shared cache (`REDIS_URL`) under a digest of the very page WeasyPrint sets
(`article_pdf_html`): anything the PDF shows, changed anywhere (the text, an annotation, a
speaker's name, a meeting's date, the status, a translated label, the day in the citation), is a
new key, so a stale PDF is never served, whoever changed what. Only the five queries and the
template are paid for a PDF already set. An editor's preview of an unpublished report is never
cached. One process sets a given PDF at a time (a lock in the cache); the others are told it is
being prepared (`serve_pdf`). Publishing or correcting a report sets its PDFs ahead of readers on
a worker (`articles/charts/tasks.py`).
"""

import datetime
import hashlib
import logging
import time
from contextlib import suppress

import weasyprint
from django.conf import settings
from django.core.cache import caches
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.connection import ConnectionProxy
from django.utils.translation import get_language, get_language_info, override
from django.utils.translation import gettext as _

from articles.arabic.shaping import font_path
from articles.charts.pdftext import drawn_lines, extractable
from articles.citations import authors
from articles.display import citation_date, format_article_date
from articles.models import Article, Quote
from diplomacy.cache import CACHE_DOWN
from diplomacy.models import Agreement, Meeting

CLOSING_MARKS = '”“"»«'
EXCERPT_CHARS = 90
# A PDF stays in the cache this long after it was set (its citation names the day, so a day's worth).
PDF_CACHE_SECONDS = 26 * 60 * 60
# How long a process may hold the right to set one PDF before another may take over (a dead process).
RENDER_LOCK_SECONDS = 60
# The `strict` cache: the same store as the default, but a failure raises, so the background job
# retries and a reader's request says in the log that it set the PDF without the cache.
cache = ConnectionProxy(caches, "strict")

log = logging.getLogger("articles.pdf")


def reports_for_pdf(user=None):
    """The reports `user` may read (the public's by default), with what their PDF shows, in five queries.

    1 the report and its source, 2 quotes with speakers, 3 meetings with places,
    4 agreements, 5 topics.
    """
    return (
        Article.objects.visible_to(user)
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "quotes", queryset=Quote.objects.select_related("speaker").order_by("start"), to_attr="pdf_quotes"
            ),
            Prefetch(
                "meetings", queryset=Meeting.objects.select_related("place").order_by("start"), to_attr="pdf_meetings"
            ),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.order_by("announced", "title_ar"),
                to_attr="pdf_agreements",
            ),
            "topics",
        )
    )


def marked_paragraphs(article, quotes):
    """The body's paragraphs with a `[n]` after each quote, and each paragraph's quote spans.

    Answers `[(text, [(start, end), ...]), ...]` with offsets into the marked
    text, and `numbered`, the quotes in marker order.
    """
    body = article.body
    paragraphs = []
    numbered = []
    offset = 0
    for paragraph in body.split("\n"):
        p_start, p_end = offset, offset + len(paragraph)
        offset = p_end + 1
        inside = [q for q in quotes if p_start <= q.start < p_end]
        pieces, spans, cursor, shift = [], [], 0, 0
        for quote in inside:
            start, end = quote.start - p_start, min(quote.end, p_end) - p_start
            # The marker goes after the closing quotation mark when there is one.
            after = end + 1 if end < len(paragraph) and paragraph[end] in CLOSING_MARKS else end
            if after < cursor:
                # A quote nested in one already marked: mark it at the same place.
                after = cursor
            numbered.append(quote)
            marker = f" [{len(numbered)}]"
            pieces.append(paragraph[cursor:after])
            spans.append((start + shift, end + shift))
            pieces.append(marker)
            shift += len(marker)
            cursor = after
        pieces.append(paragraph[cursor:])
        paragraphs.append(("".join(pieces), spans))
    return paragraphs, numbered


def _date(value):
    return formats.date_format(value, "DATE_FORMAT") if value else _("date unknown")


def _excerpt(text):
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


def citation(article, permalink, language, today=None):
    today = today or datetime.date.today()
    source = article.source.name_in(language) if article.source else _("unknown source")
    return _("%(source)s, «%(title)s», %(date)s. Diplomacy Archive, report %(id)s, consulted on %(today)s.") % {
        "source": source,
        "title": article.title,
        "date": citation_date(article),
        "id": article.pk,
        "today": today.isoformat(),
    }


def _pieces(text, numbered_markers):
    """A marked paragraph cut into (text, is_marker) pieces, so the markers can be styled."""
    pieces, cursor = [], 0
    for marker in numbered_markers:
        at = text.index(marker, cursor)
        pieces += [(text[cursor:at], False), (marker, True)]
        cursor = at + len(marker)
    return [*pieces, (text[cursor:], False)]


def article_pdf_bytes(article, *, permalink, language=None):
    """The report as a PDF document (bytes). `article` should come from `reports_for_pdf()`."""
    return set_pdf(article_pdf_html(article, permalink=permalink, language=language))


# Raised when `extractable` changes what it writes, so that no PDF set the earlier way is served from the cache.
REWRITE_VERSION = 2


def set_pdf(html):
    """The page WeasyPrint sets, as PDF bytes: tagged (a structure tree readers and screen readers
    follow); fonts come from file:// only. `extractable` puts ligatures and raised marks in spans
    poppler reads as printed (pdftext.py)."""
    with drawn_lines() as lines:
        pdf = weasyprint.HTML(string=html).write_pdf(pdf_tags=True)
    return extractable(pdf, lines)


def article_pdf_html(article, *, permalink, language=None):
    """The page of the report's PDF, as HTML: everything the PDF shows, and only that."""
    language = language or get_language()
    rtl = get_language_info(language)["bidi"]
    quotes = getattr(article, "pdf_quotes", None)
    if quotes is None:
        quotes = list(article.quotes.select_related("speaker").order_by("start"))
    meetings = getattr(article, "pdf_meetings", None)
    if meetings is None:
        meetings = list(article.meetings.select_related("place").order_by("start"))
    agreements = getattr(article, "pdf_agreements", None)
    if agreements is None:
        agreements = list(article.agreements.order_by("announced", "title_ar"))
    comma = "، " if rtl else ", "

    paragraphs, numbered = marked_paragraphs(article, quotes)
    n = 0
    body = []
    for text, spans in paragraphs:
        markers = [f" [{n + i}]" for i in range(1, len(spans) + 1)]
        n += len(spans)
        if text.strip():
            body.append({"pieces": _pieces(text, markers), "quoted": bool(spans)})

    quote_lines = []
    for i, quote in enumerate(numbered, start=1):
        speaker = quote.speaker.name_in(language) if quote.speaker else _("speaker unknown")
        quote_lines.append(f"[{i}] {speaker} ({quote.get_kind_display()}): “{_excerpt(quote.text)}”")
    meeting_lines = []
    for meeting in meetings:
        where = f" — {meeting.place.name_in(language)}" if meeting.place else ""
        when = _date(meeting.start)
        if meeting.end and meeting.end != meeting.start:
            when = f"{when} – {_date(meeting.end)}"
        meeting_lines.append(f"• {meeting.name_in(language)} ({meeting.get_kind_display()}) — {when}{where}")
    agreement_lines = []
    for agreement in agreements:
        dates = [
            f"{label} {_date(value)}"
            for label, value in ((_("announced"), agreement.announced), (_("in effect"), agreement.effective))
            if value
        ]
        agreement_lines.append(
            f"• {agreement.name_in(language)} — {agreement.get_status_display()}"
            + (f" ({comma.join(dates)})" if dates else "")
        )

    source = article.source.name_in(language) if article.source else _("unknown source")
    topics = [t.name_in(language) for t in article.topics.all()]
    context = {
        "article": article,
        # an editor's preview says so on its first line
        "unpublished": None
        if article.is_published
        else _("Not published (%(status)s): for editors only.") % {"status": article.get_status_display()},
        "language": language,
        "rtl": rtl,
        "author": comma.join(authors(article)) if article.byline else (source if article.source else ""),
        "subject": _("Diplomacy Archive"),
        "footer": _("Diplomacy Archive · report %(id)s") % {"id": article.pk},
        "font_url": font_path().as_uri(),
        "font_bold_url": font_path(bold=True).as_uri(),
        "source_line": _("Source: %(source)s · Published: %(date)s")
        % {"source": source, "date": format_article_date(article)},
        "topics": topics,
        "topics_line": _("Topics: %(topics)s") % {"topics": comma.join(topics)},
        "paragraphs": body,
        "quotes": quote_lines,
        "meetings": meeting_lines,
        "agreements": agreement_lines,
        "cite": citation(article, permalink, language),
        "permalink": permalink,
    }
    return render_to_string("charts/article.pdf.html", context)


# --- The shared cache ------------------------------------------------------------------------------


def pdf_permalink(article, request=None, language=None):
    """The address the PDF prints: `SITE_URL`'s when set (so every web process and worker sets the
    same PDF, whichever host name or port a request came by), else the request's."""
    with override(language or get_language()):
        path = article.get_absolute_url()
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def pdf_key(article, html, language):
    """The cache key of a PDF: the report, the language, and a digest of its page and of what sets it.

    The fonts' file:// addresses are left out (they differ between installations, not between PDFs).
    """
    page = html.replace(font_path().as_uri(), "regular").replace(font_path(bold=True).as_uri(), "bold")
    digest = hashlib.sha256(f"{weasyprint.__version__}\n{REWRITE_VERSION}\n{page}".encode()).hexdigest()[:32]
    return f"pdf:{article.pk}:{language}:{digest}"


def serve_pdf(article, *, permalink, language=None, without_cache_if_down=True):
    """(PDF bytes or None, how): the report's PDF, from the shared cache when this very PDF is there.

    `how` is "cached", "rendered" (set now, and cached), "preview" (an unpublished report, for an
    editor: set now, never cached) or "preparing": another process is setting this PDF right now,
    so the answer is None rather than a second rendering (a hundred readers of the same news do
    not start a hundred renderings). When the cache cannot be reached, a reader still gets the PDF,
    set without it (and the failure is logged); a worker (`without_cache_if_down=False`) gets the
    error, and its task is retried.
    """
    language = language or get_language()
    html = article_pdf_html(article, permalink=permalink, language=language)
    if not article.is_published:
        return set_pdf(html), "preview"
    key = pdf_key(article, html, language)
    lock = f"{key}:setting"
    try:
        content = cache.get(key)
        if content is not None:
            return content, "cached"
        if not cache.add(lock, 1, RENDER_LOCK_SECONDS):
            return None, "preparing"
    except CACHE_DOWN as error:
        if not without_cache_if_down:
            raise
        log.warning("The shared cache cannot be reached (%r): report %s's PDF is set without it", error, article.pk)
        return set_pdf(html), "rendered"
    try:
        started = time.perf_counter()
        content = set_pdf(html)
        log.info(
            "Set the PDF of report %s (%s) in %.0f ms, %d bytes",
            article.pk,
            language,
            (time.perf_counter() - started) * 1000,
            len(content),
        )
        try:
            cache.set(key, content, PDF_CACHE_SECONDS)
        except CACHE_DOWN as error:
            if not without_cache_if_down:
                raise
            log.warning("The shared cache cannot be reached (%r): report %s's PDF was not kept", error, article.pk)
    finally:
        with suppress(*CACHE_DOWN):  # the lock expires by itself
            cache.delete(lock)
    return content, "rendered"

"""A report as PDF (for whoever may read its page): title, source and date, the body as printed with its quotes marked
and their speakers named, the meetings and agreements it covers, and how to cite it.

The page is HTML (`templates/charts/article.pdf.html`) set by WeasyPrint, which shapes Arabic
with HarfBuzz through Pango and writes each glyph's characters back into the PDF. So the text a
reader searches, copies or extracts is the printed Arabic in logical order with its diacritics,
not presentation forms in visual order; the document is tagged, carries its language (`/Lang`) and
title, and names the byline as its author (the outlet when there is none). The font is matplotlib's
DejaVu Sans, the one the charts use (`articles.arabic.shaping.font_path`), embedded as a subset.
"""

import datetime

import weasyprint
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from articles.arabic.shaping import font_path
from articles.charts.pdftext import extractable
from articles.citations import authors
from articles.display import citation_date, format_article_date
from articles.models import Article, Quote
from diplomacy.models import Agreement, Meeting

CLOSING_MARKS = '”“"»«'
EXCERPT_CHARS = 90


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
    html = render_to_string("charts/article.pdf.html", context)
    # Tagged (a structure tree readers and screen readers follow); fonts come from file:// only.
    # `extractable` puts ligatures and raised marks in spans poppler reads as printed (pdftext.py).
    return extractable(weasyprint.HTML(string=html).write_pdf(pdf_tags=True))

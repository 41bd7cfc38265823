"""A published report as PDF: title, source and date, the body right to left with its quotes marked
and their speakers named, the meetings and agreements it covers, and how to cite it.

reportlab neither shapes Arabic nor reorders it, and its own paragraph
wrapping works on the string it is given, which must be in visual order by
then. So this module lays text out itself: each paragraph is wrapped in
logical order (`articles.arabic.shaping.wrap`, measuring words as they will be
drawn), then each line is shaped and put in visual order (`shape`) and drawn
against the paragraph's start edge, the right margin for Arabic. Long reports
run over as many pages as they need. The font (DejaVu Sans, from matplotlib)
is embedded as a subset.
"""

import datetime
import io

from django.db.models import Prefetch
from django.utils import formats
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas

from articles.arabic.shaping import base_direction, font_path, shape, wrap
from articles.display import citation_date, format_article_date
from articles.models import Article, Quote
from diplomacy.models import Agreement, Meeting

FONT = "ArchiveSans"
FONT_BOLD = "ArchiveSans-Bold"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 56
MARKER_GAP = 8
QUOTE_COLOUR = colors.HexColor("#c0504d")
MUTED = colors.HexColor("#555555")
CLOSING_MARKS = '”“"»«'
EXCERPT_CHARS = 90


def register_fonts():
    """Register the Arabic-capable font with reportlab once per process."""
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT not in registered:
        pdfmetrics.registerFont(TTFont(FONT, str(font_path())))
    if FONT_BOLD not in registered:
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(font_path(bold=True))))


def reports_for_pdf():
    """Published reports with what their PDF shows, loaded in five queries whatever their size.

    1 the report and its source, 2 quotes with speakers, 3 meetings with places,
    4 agreements, 5 topics.
    """
    return (
        Article.objects.published()
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


class Layout:
    """A cursor over pages: draws wrapped, shaped lines and starts a new page when one is full."""

    def __init__(self, canvas, *, rtl, footer):
        self.canvas = canvas
        self.rtl = rtl
        self.footer = footer
        self.page = 1
        self.y = PAGE_HEIGHT - MARGIN
        self.width = PAGE_WIDTH - 2 * MARGIN

    def _finish_page(self):
        c = self.canvas
        c.setFont(FONT, 8)
        c.setFillColor(MUTED)
        c.drawCentredString(PAGE_WIDTH / 2, MARGIN / 2, shape(f"{self.footer} · {self.page}"))
        c.setFillColor(colors.black)

    def new_page(self):
        self._finish_page()
        self.canvas.showPage()
        self.page += 1
        self.y = PAGE_HEIGHT - MARGIN

    def finish(self):
        self._finish_page()

    def space(self, points):
        self.y -= points

    def text(self, text, *, size=11.5, leading=None, bold=False, colour=colors.black, marks=(), base_dir=None):
        """Draw one paragraph. `marks` are (start, end) offsets into `text` to flag with a bar in the margin."""
        font = FONT_BOLD if bold else FONT
        leading = leading or size * 1.65
        direction = base_dir or base_direction(text, default="R" if self.rtl else "L")

        def measure(drawn):
            return pdfmetrics.stringWidth(drawn, font, size)

        for start, end in wrap(text, self.width, measure, base_dir=direction):
            if self.y - leading < MARGIN:
                self.new_page()
            self.y -= leading
            line = shape(text[start:end], base_dir=direction)
            c = self.canvas
            c.setFont(font, size)
            c.setFillColor(colour)
            if direction == "R":
                c.drawRightString(PAGE_WIDTH - MARGIN, self.y, line)
            else:
                c.drawString(MARGIN, self.y, line)
            if any(a < end and b > start for a, b in marks):
                # A quote runs through this line: a bar at the line's start edge.
                x = PAGE_WIDTH - MARGIN + MARKER_GAP if direction == "R" else MARGIN - MARKER_GAP
                c.setStrokeColor(QUOTE_COLOUR)
                c.setLineWidth(2.5)
                c.line(x, self.y - size * 0.3, x, self.y + size * 0.95)
        self.canvas.setFillColor(colors.black)

    def heading(self, text, size=13):
        if self.y - 4 * size < MARGIN:
            self.new_page()
        self.space(size * 0.6)
        self.text(text, size=size, bold=True, base_dir="R" if self.rtl else "L")
        self.space(size * 0.2)


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


def article_pdf_bytes(article, *, permalink, language=None):
    """The report as a PDF document (bytes). `article` should come from `reports_for_pdf()`."""
    register_fonts()
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

    out = io.BytesIO()
    c = pdf_canvas.Canvas(out, pagesize=A4, pageCompression=1, initialFontName=FONT, initialFontSize=11)
    c.setTitle(article.title)
    c.setAuthor(str(article.source) if article.source else "")
    c.setSubject(_("Diplomacy Archive"))
    c.setCreator(_("Diplomacy Archive"))
    page = Layout(c, rtl=rtl, footer=_("Diplomacy Archive · report %(id)s") % {"id": article.pk})

    page.text(article.title, size=18, bold=True)
    page.space(4)
    source = article.source.name_in(language) if article.source else _("unknown source")
    page.text(
        _("Source: %(source)s · Published: %(date)s") % {"source": source, "date": format_article_date(article)},
        size=10,
        colour=MUTED,
        base_dir="R" if rtl else "L",
    )
    if article.byline:
        page.text(article.byline, size=10, colour=MUTED)
    topics = list(article.topics.all())
    if topics:
        page.text(
            _("Topics: %(topics)s") % {"topics": ("، " if rtl else ", ").join(t.name_in(language) for t in topics)},
            size=10,
            colour=MUTED,
            base_dir="R" if rtl else "L",
        )
    page.space(10)

    paragraphs, numbered = marked_paragraphs(article, quotes)
    for text, spans in paragraphs:
        if text.strip():
            page.text(text, marks=spans)
            page.space(5)

    if numbered:
        page.heading(_("Quotes and their speakers"))
        for n, quote in enumerate(numbered, start=1):
            speaker = quote.speaker.name_in(language) if quote.speaker else _("speaker unknown")
            page.text(
                f"[{n}] {speaker} ({quote.get_kind_display()}): “{_excerpt(quote.text)}”",
                size=10,
                base_dir="R" if rtl else "L",
            )
    if meetings:
        page.heading(_("Meetings covered"))
        for meeting in meetings:
            where = f" — {meeting.place.name_in(language)}" if meeting.place else ""
            when = _date(meeting.start)
            if meeting.end and meeting.end != meeting.start:
                when = f"{when} – {_date(meeting.end)}"
            page.text(
                f"• {meeting.name_in(language)} ({meeting.get_kind_display()}) — {when}{where}",
                size=10,
                base_dir="R" if rtl else "L",
            )
    if agreements:
        page.heading(_("Agreements covered"))
        for agreement in agreements:
            dates = [
                f"{label} {_date(value)}"
                for label, value in ((_("announced"), agreement.announced), (_("in effect"), agreement.effective))
                if value
            ]
            page.text(
                f"• {agreement.name_in(language)} — {agreement.get_status_display()}"
                + (f" ({'، '.join(dates) if rtl else ', '.join(dates)})" if dates else ""),
                size=10,
                base_dir="R" if rtl else "L",
            )

    page.heading(_("How to cite this report"))
    page.text(citation(article, permalink, language), size=10, base_dir="R" if rtl else "L")
    page.text(permalink, size=10, colour=colors.HexColor("#1f5f8b"), base_dir="L")
    c.linkURL(permalink, (MARGIN, page.y - 3, PAGE_WIDTH - MARGIN, page.y + 11), relative=0)
    page.finish()
    c.save()
    return out.getvalue()

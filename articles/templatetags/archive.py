"""Template helpers for the public pages: dates as readers expect, names in the page's language,
the report body with its annotations, facet links, and the language switch."""

import datetime
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.templatetags.country_names import country_name as _country_name

register = template.Library()

# Arabic readers from the Levant and Iraq say آذار, those from Egypt and the Gulf مارس; the press
# writes both, as "مارس/آذار" (Al Jazeera's house style), so every reader recognises the month.
ARABIC_MONTHS = (
    "يناير/كانون الثاني",
    "فبراير/شباط",
    "مارس/آذار",
    "أبريل/نيسان",
    "مايو/أيار",
    "يونيو/حزيران",
    "يوليو/تموز",
    "أغسطس/آب",
    "سبتمبر/أيلول",
    "أكتوبر/تشرين الأول",
    "نوفمبر/تشرين الثاني",
    "ديسمبر/كانون الأول",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _arabic():
    return not (translation.get_language() or settings.LANGUAGE_CODE).startswith("en")


def month_name(month):
    return (ARABIC_MONTHS if _arabic() else ENGLISH_MONTHS)[month - 1]


def format_date(value, precision="day"):
    """`value` as words, no more precise than `precision` (day, month or year); None says unknown."""
    if value is None:
        return _("date unknown")
    if isinstance(value, datetime.datetime):
        value = value.date()
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{month_name(value.month)} {value.year}"
    return f"{value.day} {month_name(value.month)} {value.year}"


@register.simple_tag
def archive_date(value, precision="day"):
    return format_date(value, precision)


@register.simple_tag
def archive_date_range(start, end=None, precision="day"):
    """A meeting's dates: one day, or a span written once where the parts agree (23–24 March 2016)."""
    if end is None or end == start or precision != "day":
        return format_date(start, precision)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end)}"
    if start.year == end.year:
        return f"{start.day} {month_name(start.month)} – {format_date(end)}"
    return f"{format_date(start)} – {format_date(end)}"


@register.simple_tag
def month_heading(year, month):
    return f"{month_name(month)} {year}"


@register.filter
def iso_date(value):
    return value.isoformat() if value else ""


@register.filter
def local_name(obj):
    """A record's name or title in the page's language, falling back to the other."""
    if obj is None:
        return ""
    language = translation.get_language()
    if hasattr(obj, "name_in"):
        return obj.name_in(language)
    if hasattr(obj, "title_in"):
        return obj.title_in(language)
    return str(obj)


@register.filter
def office_title(office):
    if office is None:
        return ""
    return office.title_ar if _arabic() or not office.title_en else office.title_en


@register.filter
def country_name(code):
    return _country_name(code, translation.get_language())


@register.filter
def arabic_page(_value=None):
    return _arabic()


# --- URLs -----------------------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def language_links(context):
    """The same page in every language: plain links, so the switch works without JavaScript."""
    request = context["request"]
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        if request.GET:
            url += "?" + request.GET.urlencode()
        with translation.override(code):
            label = str(translation.gettext(name))
        links.append({"code": code, "label": label, "url": url, "current": code == current})
    return links


@register.simple_tag
def optional_url(name, fallback, *args):
    """`{% url name %}` if another part of the site has registered it, else `fallback` under the
    language prefix. Charts and the PDF come from another app that may not be installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse("home") + fallback.lstrip("/")


@register.simple_tag(takes_context=True)
def toggle_query(context, name, value):
    """The current query with `name=value` added, or removed if present; back to the first page."""
    query = context["request"].GET.copy()
    value = str(value)
    values = query.getlist(name)
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    query.setlist(name, values)
    query.pop("page", None)
    return "?" + query.urlencode() if query else "?"


@register.simple_tag(takes_context=True)
def page_query(context, number):
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.simple_tag
def query_string(**params):
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


# --- the report body ------------------------------------------------------------------------------

_FINAL_PUNCTUATION = tuple(".!?؟:؛…\"”»)،,;'")
SUBHEADING_MAX_LENGTH = 80


def is_subheading(line):
    """A short printed line without final punctuation is a subheading (`مؤتمر صحفي مشترك بين كيري ولافروف`)."""
    text = line.strip()
    return 0 < len(text) <= SUBHEADING_MAX_LENGTH and not text.endswith(_FINAL_PUNCTUATION)


def _mention_open(mention):
    target = mention.target
    label = local_name(target)
    url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    kind = next(name for name in mention.TARGETS if getattr(mention, name) is not None)
    if url:
        return format_html(
            '<a class="mention mention-{}" href="{}" title="{}" data-mention="{}">', kind, url, label, mention.pk
        )
    return format_html('<span class="mention mention-{}" title="{}" data-mention="{}">', kind, label, mention.pk)


def _mention_close(mention):
    return "</a>" if hasattr(mention.target, "get_absolute_url") else "</span>"


def _quote_open(quote):
    return format_html('<span class="quote quote-{}" id="quote-{}">', quote.kind, quote.pk)


def _quote_after(quote):
    """A small tag after the quote naming its speaker, linked to their page: not part of the print."""
    if quote.speaker is None:
        return format_html('<span class="speaker speaker-unknown">{}</span>', _("speaker unknown"))
    name = local_name(quote.speaker)
    return format_html(
        '<a class="speaker" href="{}" aria-label="{}">{}</a>',
        quote.speaker.get_absolute_url(),
        _("quote from %(name)s") % {"name": name},
        name,
    )


_CLOSING_MARKS = "”“»\"'"


def _render_paragraph(text, offset, spans, notes):
    """HTML for one printed line, with `spans` (start, end, rank, open, close) wrapped and the
    `notes` (position, html) inserted, both in body offsets.

    Spans are clipped to the line. Properly nested spans (a name inside a quote) nest; a span that
    crosses another is closed and reopened around it, so the HTML is always well formed.
    """
    end_of_line = offset + len(text)
    events = {offset, end_of_line}
    live = []
    for span in spans:
        start, end = max(span[0], offset), min(span[1], end_of_line)
        if start < end:
            live.append((start, end, *span[2:]))
            events.update((start, end))
    inserts = {}
    for position, html in notes:
        if offset < position <= end_of_line:
            inserts.setdefault(position, []).append(html)
            events.add(position)
    if not live and not inserts:
        return escape(text)
    points = sorted(events)
    out = []
    stack = []  # spans open now, outermost first
    for i, point in enumerate(points):
        # close what ends here, reopening what was opened inside it and continues
        ending = [s for s in stack if s[1] <= point]
        if ending:
            first = min(stack.index(s) for s in ending)
            reopen = [s for s in stack[first:] if s[1] > point]
            out.extend(s[4] for s in reversed(stack[first:]))
            stack = stack[:first]
            for s in reopen:
                out.append(s[3])
                stack.append(s)
        out.extend(inserts.get(point, ()))
        if i == len(points) - 1:
            break
        # open what starts here, longest (outermost) first
        for s in sorted((s for s in live if s[0] == point), key=lambda s: (s[0] - s[1], s[2])):
            out.append(s[3])
            stack.append(s)
        out.append(escape(text[point - offset : points[i + 1] - offset]))
    out.extend(s[4] for s in reversed(stack))
    return "".join(str(x) for x in out)


def body_blocks(article, quotes, mentions):
    """The report as printed: a dict (kind "p" or "h2", html, line number) for each printed line.

    Quotes and mentions are wrapped where they stand; a quote's speaker is named in a small tag
    after its closing quotation mark (or after the quote, when the print left it unclosed).
    """
    body = article.body
    spans = [(q.start, q.end, 0, _quote_open(q), "</span>") for q in quotes]
    spans += [(m.start, m.end, 1, _mention_open(m), _mention_close(m)) for m in mentions if m.target is not None]
    notes = []
    for q in quotes:
        after = q.end + 1 if q.end < len(body) and body[q.end] in _CLOSING_MARKS else q.end
        notes.append((after, _quote_after(q)))
    blocks = []
    offset = 0
    for number, line in enumerate(body.split("\n"), start=1):
        if line.strip():
            kind = "h2" if is_subheading(line) else "p"
            html = mark_safe(_render_paragraph(line, offset, spans, notes))
            blocks.append({"kind": kind, "html": html, "number": number})
        offset += len(line) + 1
    return blocks


@register.filter
def split(value):
    return str(value).split()

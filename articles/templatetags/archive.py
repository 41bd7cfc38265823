"""Template helpers for the pages: dates as readers expect, names in the page's language, facet
links, and the language switch. The rules themselves live in `articles/display.py`."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html

from articles import display

register = template.Library()


@register.simple_tag
def archive_date(value, precision="day"):
    return display.format_date(value, precision)


@register.simple_tag
def article_date(article):
    """A report's date as a <time> element: printed, approximate (marked, with its basis as a tooltip), or unknown."""
    text = display.format_article_date(article)
    if article.published is not None:
        return format_html('<time datetime="{}">{}</time>', article.published.isoformat(), text)
    if article.approximate_date is None:
        return format_html("<span>{}</span>", text)  # a <time> must carry a date a machine can read
    machine = {"year": "%Y", "month": "%Y-%m"}.get(article.approximate_precision, "%Y-%m-%d")
    return format_html(
        '<time class="approximate" datetime="{}" title="{}">{}</time>',
        article.approximate_date.strftime(machine),
        article.approximate_basis,
        text,
    )


@register.simple_tag
def archive_date_range(start, end=None, precision="day"):
    return display.format_date_range(start, end, precision)


@register.simple_tag
def month_heading(year, month):
    return f"{display.month_name(month)} {year}"


@register.filter
def iso_date(value):
    return value.isoformat() if value else ""


@register.filter
def machine_date(value, precision="day"):
    """A `<time datetime>` value as precise as the date is known: 2016-03-24, 2016-03 or 2016."""
    return display.machine_date(value, precision)


@register.filter
def bidi(text):
    """Arabic text on an English page, isolated and marked (`<bdi lang="ar" dir="rtl">`); other text as it is."""
    if display.foreign_arabic(text):
        return format_html('<bdi lang="ar" dir="rtl">{}</bdi>', text)
    return text


@register.filter
def local_name(obj):
    """A record's name in the page's language; an Arabic name shown on an English page is marked as Arabic."""
    return bidi(display.local_name(obj))


@register.filter
def text_dir(language):
    """`dir` for a block of text in `language`: Arabic is right to left wherever it is shown."""
    return "rtl" if language == "ar" else "auto"


@register.filter
def office_title(office):
    return display.local_name(office)


@register.filter
def country_name(code):
    return display.country_name(code)


@register.filter
def isolate(value):
    return display.isolate(value)


@register.filter
def web_address(value):
    return display.web_address(value)


@register.filter
def arabic_page(_value=None):
    return display.is_arabic()


# --- URLs -----------------------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def language_links(context):
    """The same page in every language: plain links, so the switch works without JavaScript."""
    request = context["request"]
    current = translation.get_language()
    # Django's "page not found" view names the missing address `request_path`: there is no same page in
    # another language, so the switch leads home, and the page says nothing of the address asked for.
    missing = "request_path" in context
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url("/" if missing else request.path, code)
        if request.GET and not missing:
            url += "?" + request.GET.urlencode()
        with translation.override(code):
            label = str(translation.gettext(name))
        default = code == settings.LANGUAGE_CODE  # the x-default alternate
        links.append({"code": code, "label": label, "url": url, "current": code == current, "default": default})
    return links


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


@register.filter
def split(value):
    return str(value).split()

"""How the archive writes things for readers, in the page's language: dates, names, printed lines.

Shared by the public pages, citations, charts and print; the template library
`articles/templatetags/archive.py` exposes the same functions to templates.
"""

import datetime
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from articles.validators import is_web_address
from diplomacy.countries import country_name as _country_name

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


def is_arabic():
    return not (translation.get_language() or settings.LANGUAGE_CODE).startswith("en")


def month_name(month):
    return (ARABIC_MONTHS if is_arabic() else ENGLISH_MONTHS)[month - 1]


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


def machine_date(value, precision="day"):
    """The date as HTML's `<time datetime>` and ISO 8601 write it, no more precise than it is known."""
    if value is None:
        return ""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def format_article_date(article):
    """A report's date for readers: as printed, else approximate and marked so, else unknown.

    An approximate date known to the year reads "[2016]" (the bracketed year of library catalogues);
    to the day or month, "~24 March 2016". It is never shown as if the report printed it.
    """
    if article.published is not None:
        return format_date(article.published)
    if article.approximate_date is None:
        return _("date unknown")
    if article.approximate_precision == "year":
        return f"[{article.approximate_date.year}]"
    return _("~%(date)s") % {"date": format_date(article.approximate_date, article.approximate_precision)}


def citation_date(article):
    """The date in a reference: as printed, else "n.d." with the inferred year in brackets, as citation styles do."""
    if article.published is not None:
        return format_date(article.published)
    if article.approximate_date is not None:
        return _("n.d. [%(year)s]") % {"year": article.approximate_date.year}
    return _("n.d.")


def format_date_range(start, end=None, precision="day"):
    """A meeting's dates: one day, or a span written once where the parts agree (23–24 March 2016)."""
    if end is None or end == start or precision != "day":
        return format_date(start, precision)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end)}"
    if start.year == end.year:
        return f"{start.day} {month_name(start.month)} – {format_date(end)}"
    return f"{format_date(start)} – {format_date(end)}"


def local_name(obj):
    """A record's name or title in the page's language, falling back to the other."""
    if obj is None:
        return ""
    return isolate(obj.name_in(translation.get_language()))


# Explicit direction marks and controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM).
_OPENERS = {"\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068"}
_ISOLATE_OPENERS = {"\u2066", "\u2067", "\u2068"}
_CLOSERS = {"\u202c": False, "\u2069": True}  # PDF closes an embedding, PDI an isolate
BIDI_CONTROLS = frozenset(_OPENERS | set(_CLOSERS) | {"\u200e", "\u200f", "\u061c"})


def isolate(text):
    """`text` kept as stored, but unable to reorder what is printed around it.

    Titles and names are archived as printed, bidi controls included (a stray
    U+202E RIGHT-TO-LEFT OVERRIDE would otherwise reverse the rest of the
    line). Text holding any control is wrapped in FSI … PDI, which ends every
    embedding and override opened inside it (Unicode Bidirectional Algorithm,
    rule X6a); a closer with no opener inside the text, which could end the
    page's own isolate, is dropped. Text without controls is returned as is.
    """
    if not text or BIDI_CONTROLS.isdisjoint(text):
        return text
    kept, stack = [], []
    for char in text:
        if char in _OPENERS:
            stack.append(char in _ISOLATE_OPENERS)
        elif char in _CLOSERS:
            closes_isolate = _CLOSERS[char]
            if closes_isolate:
                if True not in stack:
                    continue
                while stack.pop() is not True:
                    pass
            elif not stack or stack[-1] is True:
                continue
            else:
                stack.pop()
        kept.append(char)
    return "\u2068" + "".join(kept) + "\u2069"


def web_address(value):
    """`value` when it is an http(s) address, else "": every link made from data asks this again at
    output, so a `javascript:` address that reached the database some other way is never a link."""
    return value if is_web_address(value) else ""


_ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def is_arabic_text(text):
    return bool(text) and _ARABIC_LETTER.search(str(text)) is not None


def foreign_arabic(text):
    """True for Arabic text on a page that is not Arabic: it needs `lang="ar" dir="rtl"` to read right."""
    return not is_arabic() and is_arabic_text(text)


def country_name(code):
    return _country_name(code, translation.get_language())


_FINAL_PUNCTUATION = tuple(".!?؟:؛…\"”»)،,;'")
SUBHEADING_MAX_LENGTH = 80


def is_subheading(line):
    """A short printed line without final punctuation is a subheading (`مؤتمر صحفي مشترك بين كيري ولافروف`)."""
    text = line.strip()
    return 0 < len(text) <= SUBHEADING_MAX_LENGTH and not text.endswith(_FINAL_PUNCTUATION)

"""Dates in Arabic news text (ARABIC.md, "Dates").

Understood forms (digits Arabic-Indic or ASCII, spelling normalised first):

* ``24 آذار 2016``, ``24 مارس 2016``, ``24 مارس/آذار 2016``,
  ``19 شباط/فبراير 2016``, ``14 تموز (يوليو) 2015``, ``5 جوان 2019``;
* without a day (``آذار 2016``, ``شهر آذار``, and in a date context
  ``في سبتمبر``, ``أواخر مارس``, ``مايو (أيار) الماضي``) → precision ``month``;
* a year alone after ``منذ``/``في``/``العامين`` (``منذ 2009``) → ``year``;
* without a year (``27 شباط``) → the year of the publication date;
* ``24/3/2016``, ``2016-03-24``;
* ``عام 2016``, ``العام 2016`` → precision ``year``;
* weekdays (``صباح الخميس``, ``يوم الأحد الماضي``, ``الجمعة المقبل``) → the
  last such day on or before publication (strictly before with ``الماضي``,
  strictly after with ``المقبل``/``القادم``, on or after publication in a
  sentence about what will happen: ``سينتقل كيري الاثنين``).

A date that cannot be resolved (a weekday or a bare day and month with no
publication date, 31 February) is still reported, with ``date=None``.
Month spellings live in :data:`MONTHS`; add a row to teach a new one.
"""

from __future__ import annotations

import bisect
import re
from datetime import date, datetime, timedelta
from typing import NamedTuple

from .normalize import normalize, span_to_original
from .tokens import analyse

__all__ = ["MONTHS", "ORDINAL_DAYS", "WEEKDAYS", "DateMatch", "find_dates"]

_MONTH_ROWS = {
    1: "كانون الثاني|كانون ثاني|يناير|جانفي|جانفييه",
    2: "شباط|فبراير|فيفري|فبرير",
    3: "آذار|مارس",
    4: "نيسان|أبريل|إبريل|ابريل|أفريل",
    5: "أيار|مايو|ماي",
    6: "حزيران|يونيو|يونيه|جوان",
    7: "تموز|يوليو|يوليه|جويلية|جويليه",
    8: "آب|أغسطس|اغسطس|أوت|غشت",
    9: "أيلول|سبتمبر|شتنبر",
    10: "تشرين الأول|تشرين أول|أكتوبر|اكتوبر",
    11: "تشرين الثاني|تشرين ثاني|نوفمبر|نونبر",
    12: "كانون الأول|كانون أول|ديسمبر|دجنبر",
}

#: Normalised month name -> month number (1-12).
MONTHS: dict[str, int] = {normalize(name): number for number, names in _MONTH_ROWS.items() for name in names.split("|")}

#: Normalised weekday (with the article) -> ``date.weekday()`` number.
WEEKDAYS: dict[str, int] = {
    normalize(k): v
    for k, v in {
        "الإثنين": 0,
        "الاثنين": 0,
        "الثلاثاء": 1,
        "الأربعاء": 2,
        "الخميس": 3,
        "الجمعة": 4,
        "السبت": 5,
        "الأحد": 6,
    }.items()
}

_UNITS = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]
_ORDINALS = {name: n for n, name in enumerate(_UNITS, 1)}
_ORDINALS.update({"العاشر": 10, "الحادي عشر": 11, "العشرين": 20, "الثلاثين": 30})
_ORDINALS.update({f"{name} عشر": 10 + n for n, name in enumerate(_UNITS[1:], 2)})
_ORDINALS.update({f"{name} والعشرين": 20 + n for n, name in enumerate(["الحادي", *_UNITS[1:]], 1)})
_ORDINALS["الحادي والثلاثين"] = 31

#: Days of the month spelt out as ordinals (normalised): "الرابع والعشرين" -> 24.
ORDINAL_DAYS: dict[str, int] = {normalize(k): v for k, v in _ORDINALS.items()}

_TIME_OF_DAY = "|".join(
    normalize(w)
    for w in [
        "صباح",
        "مساء",
        "ظهر",
        "عصر",
        "ليلة",
        "ليل",
        "فجر",
        "يوم",
        "نهار",
        "ظهيرة",
    ]
)


def _norm_words(text: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in text.split())


_PAST = {normalize(w) for w in ("الماضي", "الفائت", "المنصرم", "الماضية", "الفائتة", "المنصرمة")}
_NEXT = {normalize(w) for w in ("المقبل", "القادم", "المقبلة", "القادمة")}
_CURRENT = {normalize(w) for w in ("الجاري", "الحالي")}

#: Words before a month name or a year that make it a date (``في سبتمبر``,
#: ``أواخر مارس``, ``منذ 2009``); a month name alone is too often another word.
DATE_CONTEXT = _norm_words(
    "في منذ خلال حتى قبل بعد أواخر أوائل أواسط منتصف مطلع نهاية بداية بدايات أواخر مستهل وفي ومنذ وحتى وخلال وقبل وبعد"
)
#: Words before a bare year that make it one (``بين العامين 1981 و2005``).
_YEAR_WORDS = frozenset(normalize(w) for w in ("العامين", "عامي", "سنتي"))

#: Words that put a weekday ahead of the publication date (``سينتقل كيري الاثنين``,
#: ``غدا الثلاثاء``, ``من المقرر أن … يوم الثلاثاء``).
_TODAY_WORDS = frozenset(normalize(w) for w in ("اليوم", "أمس", "امس", "وأمس"))
_FUTURE_WORDS = frozenset(normalize(w) for w in ("غدا", "غداً", "المقرر", "سوف", "يعتزم", "تعتزم", "المرتقب", "المنتظر"))
# words that look like a future verb (س + present prefix) but are nouns
_NOT_FUTURE = _norm_words(
    "سياسة سياسي سياسية سياسات السياسة سيارة سيارات سيطرة سيناريو ستين سنوات سنة سنوية سنويا سيادة "
    "سيدة سيد سيول ستار ستة سينما سيناء سيرة سيرغي سيرجي ستيفان ستيفن سيف سيتي"
)

_B = r"(?<![^\W_])"  # no letter or digit before
_E = r"(?![^\W_])"  # no letter or digit after
# a number may carry an attached و/ف/ب (و2016, ب27 شباط), left out of the span
_BD = r"(?:(?<![^\W_])|(?<=(?<![^\W_])[وفب]))"


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


class DateMatch(NamedTuple):
    start: int
    end: int
    text: str
    date: date | None
    precision: str  # "day" | "month" | "year"


def _compile():
    month = f"(?:{_alternation(MONTHS)})"
    # "شباط/فبراير", "تموز (يوليو)", "مارس - آذار", "أغسطس آب" (a pair of the same month, checked later)
    pair_gap = r"(?:\s*(?:/|-|–|\()\s*|\s+)"
    month_pair = rf"(?P<m1>{month}){_E}(?:{pair_gap}(?P<m2>{month}){_E}(?:\s*\))?)?"
    prefix = r"(?:[وفب]|ل)?"
    # "24 آذار" or, spelt out, "الرابع والعشرين من آذار"
    day_month = (
        rf"(?:{_BD}(?P<day>\d{{1,2}}){_E}\s*(?:من\s+|/\s*)?|{_B}(?P<oday>{_alternation(ORDINAL_DAYS)})\s+من\s+)"
        rf"(?:شهر\s+)?{prefix}{month_pair}"
        rf"(?:\s*(?:,|،|/)?\s*(?:من\s+)?(?:عام\s+|العام\s+|سنه\s+)?(?P<year>\d{{4}})م?{_E})?"
    )
    # "آذار 2016", "شهر آب", "مايو (أيار) الماضي" (the tense word belongs to the date)
    month_year = (
        rf"{_B}(?:(?P<shahr>شهر)\s+)?{prefix}(?P<mm1>{month}){_E}"
        rf"(?:{pair_gap}(?P<mm2>{month}){_E}(?:\s*\))?)?"
        rf"(?:\s*(?:,|،)?\s*(?:من\s+)?(?:عام\s+|العام\s+)?(?P<myear>\d{{4}})م?{_E}"
        rf"|\s+(?P<mrel>{_alternation(_PAST | _NEXT | _CURRENT)}){_E})?"
    )
    numeric = (
        rf"{_BD}(?:(?P<nd>\d{{1,2}})[/.-](?P<nm>\d{{1,2}})[/.-](?P<ny>\d{{4}})"
        rf"|(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})){_E}"
    )
    year = rf"{_B}[وفب]?(?P<yword>عام|العام|سنه|السنه)\s+(?P<yy>\d{{4}})م?{_E}"
    # a year alone, taken only in a date context (checked in find_dates)
    bare_year = rf"{_BD}(?P<by>(?:1[89]|20)\d\d)م?{_E}"
    weekday = (
        rf"{_B}(?:[وفبل]?(?P<tod>{_TIME_OF_DAY})\s+)?(?P<wprefix>[وفب])?"
        rf"(?P<wd>{_alternation(WEEKDAYS)})"
        rf"(?:\s+(?P<rel>{_alternation(_PAST | _NEXT)}))?{_E}"
    )
    return re.compile(
        rf"(?P<dm>{day_month})|(?P<num>{numeric})|(?P<my>{month_year})|(?P<y>{year})|(?P<w>{weekday})"
        rf"|(?P<byear>{bare_year})"
    )


_PATTERN = _compile()
# words that can begin a date expression (besides numbers)
_ANCHORS = frozenset(
    [name.split()[0] for name in MONTHS]
    + list(WEEKDAYS)
    + _TIME_OF_DAY.split("|")
    + ["شهر", "عام", "العام", "سنه", "السنه"]
    + list(_YEAR_WORDS)
    + [name.split()[0] for name in ORDINAL_DAYS]
)


def _published(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return value or None


def _make(y, m, d) -> date | None:
    try:
        return date(y, m, d)
    except (TypeError, ValueError):
        return None


def find_dates(text: str, published: date | datetime | str | None = None) -> list[DateMatch]:
    """Dates in ``text`` with spans as printed; ``published`` fills the gaps."""
    pub = _published(published)
    info = analyse(text)
    norm, offsets = info.norm, info.offsets
    out: list[DateMatch] = []
    pending_weekday: tuple[int, int] | None = None
    last_year_end: int | None = None  # where the last year found ends (normalised text)
    for m in _matches(info):
        a, b = m.span()
        value: date | None = None
        if m.group("dm"):
            month = MONTHS[_squash(m.group("m1"))]
            day = int(m.group("day")) if m.group("day") else ORDINAL_DAYS[_squash(m.group("oday"))]
            if m.group("year"):
                value, precision = _make(int(m.group("year")), month, day), "day"
            else:
                precision = "day"
                value = _make(pub.year, month, day) if pub else None
        elif m.group("num"):
            if m.group("nd"):
                y, mo, d = int(m.group("ny")), int(m.group("nm")), int(m.group("nd"))
            else:
                y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
            # 7/11/1436 is a Hijri date: kept, without a (Gregorian) value
            value, precision = (_make(y, mo, d) if y >= 1800 else None), "day"
        elif m.group("my"):
            if not (
                m.group("myear")
                or m.group("shahr")
                or m.group("mm2")
                or m.group("mrel")
                or _in_date_context(info, m.start("mm1"))
            ):
                continue  # a bare month name is too often another word (مارس, آب)
            month = MONTHS[_squash(m.group("mm1"))]
            year_text = m.group("myear")
            if year_text:
                year = int(year_text)
            elif pub:
                year = pub.year
                rel = m.group("mrel")
                if rel in _PAST and month > pub.month:
                    year -= 1  # "ديسمبر الماضي" in March
                elif rel in _NEXT and month < pub.month:
                    year += 1  # "يناير المقبل" in October
            else:
                year = None
            value, precision = (_make(year, month, 1) if year else None), "month"
            if not m.group("shahr"):
                a = m.start("mm1")  # leave attached letters out (وآذار)
        elif m.group("y"):
            a = m.start("yword")
            value, precision = _make(int(m.group("yy")), 1, 1), "year"
        elif m.group("byear"):
            a, b = m.span("by")
            # "بين العامين 1981 و2005": a year joined by و to the year just before it
            joined = (
                last_year_end is not None and a >= 1 and norm[a - 1] == "و" and not norm[last_year_end : a - 1].strip()
            )
            if not (joined or _in_date_context(info, a, _YEAR_WORDS)) or _counted(info, b):
                continue  # "2000 شخص" is a number
            value, precision = _make(int(m.group("by")), 1, 1), "year"
        else:
            weekday = WEEKDAYS[m.group("wd")]
            precision = "day"
            a = m.start("wd") if m.group("tod") is None else m.start("tod")
            rel = m.group("rel")
            if rel is None and _future_before(info, a):
                rel = "ahead"  # "سينتقل كيري الاثنين", "من المقرر … يوم الثلاثاء"
            value = _resolve_weekday(weekday, pub, rel)
            # "الخميس 24 آذار 2016": the explicit date that follows wins
            pending_weekday = (a, b)
            start, end = span_to_original(text, offsets, a, b)
            out.append(DateMatch(start, end, text[start:end], value, precision))
            continue
        if pending_weekday and out and _joins(norm, pending_weekday[1], a):
            prev = out.pop()
            start, end = span_to_original(text, offsets, pending_weekday[0], b)
            out.append(DateMatch(prev.start, end, text[prev.start : end], value, precision))
            pending_weekday = None
            continue
        pending_weekday = None
        last_year_end = b if precision == "year" else None
        start, end = span_to_original(text, offsets, a, b)
        out.append(DateMatch(start, end, text[start:end], value, precision))
    return out


def _matches(info):
    """Date expressions, tried only where a word could start one (fast on long reports)."""
    norm, folded = info.norm, info.folded
    pos = 0
    for a, b in info.words:
        if a < pos:
            continue
        word = folded[a:b]
        clitic = word[0] in "وفبل" and len(word) > 1
        if not (word in _ANCHORS or word[0].isdigit() or (clitic and (word[1:] in _ANCHORS or word[1].isdigit()))):
            continue
        m = _PATTERN.match(norm, a)
        if m is None and clitic:
            m = _PATTERN.match(norm, a + 1)
        if m is not None:
            pos = m.end()
            yield m


def _word_index(info, pos: int) -> int:
    """Index in ``info.words`` of the word starting at or after ``pos``."""
    return bisect.bisect_left(info.words, (pos, -1))


def _in_date_context(info, pos: int, extra=frozenset()) -> bool:
    """Whether the word before the one at ``pos`` makes it a date (``في``, ``منذ``, ``أواخر``)."""
    norm = info.norm
    i = _word_index(info, pos)
    if i == 0:
        return False
    a, b = info.words[i - 1]
    if norm[b:pos].strip():
        return False  # punctuation between: "… في. مارس"
    word = info.folded[a:b]
    return word in DATE_CONTEXT or word in extra


# words after a four-digit number that make it a count, not a year
_COUNTED = _norm_words(
    "شخص شخصا قتيل قتيلا جندي جنديا دولار يورو ريال جنيه مليون مليار ألف الف كيلومتر كيلومترا عنصر "
    "عنصرا مقاتل مقاتلا لاجئ لاجئا طن برميل مدني مدنيا منزل منزلا"
)


def _counted(info, end: int) -> bool:
    i = _word_index(info, end)
    return i < len(info.words) and info.folded[info.words[i][0] : info.words[i][1]] in _COUNTED


def _future_before(info, pos: int, window: int = 5) -> bool:
    """Whether the clause before ``pos`` speaks of what will happen (``سينتقل``, ``غدا``, ``من المقرر``).

    Not when the day is ``اليوم``/``أمس`` (``وسيعاود الفريق تدريباته صباح
    اليوم الأربعاء`` is today, whatever comes before).
    """
    norm, folded = info.norm, info.folded
    i = _word_index(info, pos)
    if i and folded[info.words[i - 1][0] : info.words[i - 1][1]] in _TODAY_WORDS:
        return False
    end = pos
    for a, b in reversed(info.words[max(0, i - window) : i]):
        if any(c in ".!?؟\n" for c in norm[b:end]):
            break
        word = folded[a:b]
        if word[:1] in ("و", "ف") and len(word) > 4:
            word = word[1:]
        if word in _FUTURE_WORDS:
            return True
        if len(word) >= 5 and word[0] == "س" and word[1] in "يتنا" and word not in _NOT_FUTURE:
            return True
        end = a
    return False


def _squash(name: str) -> str:
    return " ".join(name.split())


def _joins(norm: str, end: int, start: int) -> bool:
    return start >= end and not norm[end:start].strip(" ،,")


def _resolve_weekday(weekday: int, pub: date | None, rel: str | None) -> date | None:
    if pub is None:
        return None
    if rel == "ahead":  # the sentence speaks of what will happen: this day or the next such day
        return pub + timedelta(days=(weekday - pub.weekday()) % 7)
    if rel in _NEXT:
        delta = (weekday - pub.weekday()) % 7 or 7
        return pub + timedelta(days=delta)
    delta = (pub.weekday() - weekday) % 7
    if rel in _PAST and delta == 0:
        delta = 7
    return pub - timedelta(days=delta)

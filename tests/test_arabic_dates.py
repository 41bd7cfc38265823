"""Date finding (ARABIC.md, "Dates")."""

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.arabic import find_dates
from tests.arabic_seed import seed_body

PUBLISHED = date(2016, 3, 24)  # a Thursday


def one(text, published=PUBLISHED):
    [match] = find_dates(text, published)
    assert text[match.start : match.end] == match.text
    return match.text, match.date, match.precision


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "في 19 شباط/فبراير 2016 أعلن",
            ("19 شباط/فبراير 2016", date(2016, 2, 19), "day"),
        ),
        (
            "في 14 تموز (يوليو) 2015 وقع",
            ("14 تموز (يوليو) 2015", date(2015, 7, 14), "day"),
        ),
        ("في 24 مارس/آذار 2016", ("24 مارس/آذار 2016", date(2016, 3, 24), "day")),
        ("يوم 1 كانون الثاني 2017", ("1 كانون الثاني 2017", date(2017, 1, 1), "day")),
        ("في 3 تشرين الأول 2015", ("3 تشرين الأول 2015", date(2015, 10, 3), "day")),
        ("في 9 إبريل 2003", ("9 إبريل 2003", date(2003, 4, 9), "day")),
        ("في 9 أبريل 2003", ("9 أبريل 2003", date(2003, 4, 9), "day")),
        ("في 30 يونيه 2013", ("30 يونيه 2013", date(2013, 6, 30), "day")),
        ("في 23 يوليو 1952", ("23 يوليو 1952", date(1952, 7, 23), "day")),
        ("في 5 جوان 2019", ("5 جوان 2019", date(2019, 6, 5), "day")),
        ("في 5 جويلية 1962", ("5 جويلية 1962", date(1962, 7, 5), "day")),
        ("في 20 أوت 1955", ("20 أوت 1955", date(1955, 8, 20), "day")),
        ("في 14 جانفي 2011", ("14 جانفي 2011", date(2011, 1, 14), "day")),
        ("في 17 فيفري 2011", ("17 فيفري 2011", date(2011, 2, 17), "day")),
        ("في ١٩ شباط ٢٠١٦", ("١٩ شباط ٢٠١٦", date(2016, 2, 19), "day")),
        ("في ۱۹ شباط ۲۰۱۶", ("۱۹ شباط ۲۰۱۶", date(2016, 2, 19), "day")),
        ("في 1 أيلول 2015م", ("1 أيلول 2015م", date(2015, 9, 1), "day")),
        ("منذ آذار 2011", ("آذار 2011", date(2011, 3, 1), "month")),
        ("في شهر آب", ("شهر آب", date(2016, 8, 1), "month")),
        ("منذ عام 2011", ("عام 2011", date(2011, 1, 1), "year")),
        ("بتاريخ 24/3/2016", ("24/3/2016", date(2016, 3, 24), "day")),
        ("بتاريخ 2016-03-24", ("2016-03-24", date(2016, 3, 24), "day")),
    ],
)
def test_forms(text, expected):
    assert one(text) == expected


def test_missing_year_comes_from_publication():
    text = "بدا تطبيقها في 27 شباط."
    assert one(text) == ("27 شباط", date(2016, 2, 27), "day")
    assert one(text, published=None) == ("27 شباط", None, "day")
    assert one(text, published=datetime(2015, 1, 1, 12, 0)) == (
        "27 شباط",
        date(2015, 2, 27),
        "day",
    )
    assert one(text, published="2014-06-01") == ("27 شباط", date(2014, 2, 27), "day")


def test_weekdays():
    assert one("التقى كيري نظيره صباح الخميس") == (
        "صباح الخميس",
        date(2016, 3, 24),
        "day",
    )
    assert one("التقى كيري نظيره صباح الخميس", published=date(2016, 3, 26)) == (
        "صباح الخميس",
        date(2016, 3, 24),
        "day",
    )
    assert one("يوم الأحد الماضي") == ("يوم الأحد الماضي", date(2016, 3, 20), "day")
    assert one("الخميس الماضي") == ("الخميس الماضي", date(2016, 3, 17), "day")
    assert one("الجمعة المقبل") == ("الجمعة المقبل", date(2016, 3, 25), "day")
    assert one("ومساء الإثنين") == ("مساء الإثنين", date(2016, 3, 21), "day")
    assert one("صباح الخميس", published=None) == ("صباح الخميس", None, "day")


def test_weekday_joined_to_an_explicit_date():
    assert one("الخميس 24 آذار 2016") == (
        "الخميس 24 آذار 2016",
        date(2016, 3, 24),
        "day",
    )


def test_attached_letters_stay_outside():
    assert one("و2016-03-24") == ("2016-03-24", date(2016, 3, 24), "day")
    assert one("ب27 شباط") == ("27 شباط", date(2016, 2, 27), "day")


def test_not_dates():
    assert find_dates("مارس الضغط على الحكومة", PUBLISHED) == []
    assert find_dates("قال الأب إن ابنه", PUBLISHED) == []
    assert find_dates("سقط 27 شخصا", PUBLISHED) == []
    assert find_dates("", PUBLISHED) == []


def test_impossible_date_is_kept_without_a_value():
    assert one("31 شباط 2016") == ("31 شباط 2016", None, "day")


def test_seed_dates():
    found = find_dates(seed_body(), PUBLISHED)
    assert [(d.text, d.date) for d in found] == [
        ("صباح الخميس", date(2016, 3, 24)),
        ("27 شباط", date(2016, 2, 27)),
    ]


@settings(deadline=None)  # shared CI machines are slow; correctness, not speed
@given(st.text(alphabet=st.sampled_from(list("0123456789٢٠١٦ شباط/فبراير()آذار صباح الخميس عام و")), max_size=60))
def test_dates_never_fail_and_spans_slice_the_text(text):
    for d in find_dates(text, PUBLISHED):
        assert text[d.start : d.end] == d.text
        assert d.precision in ("day", "month", "year")


def test_days_spelt_out_as_ordinals():
    assert one("في الرابع والعشرين من آذار 2016") == ("الرابع والعشرين من آذار 2016", date(2016, 3, 24), "day")
    assert one("في الحادي عشر من أيلول 2001") == ("الحادي عشر من أيلول 2001", date(2001, 9, 11), "day")
    assert one("منذ الأول من كانون الثاني") == ("الأول من كانون الثاني", date(2016, 1, 1), "day")
    assert find_dates("الطرف الثاني من المعادلة", PUBLISHED) == []


# -- real reports (tests/realnews)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # month and year without a day
        ("وقعت الهجمات في آذار/مارس 2016 في العاصمة", PUBLISHED, ("آذار/مارس 2016", date(2016, 3, 1), "month")),
        # month pairs printed without a separator
        ("في 11 أغسطس آب", PUBLISHED, ("11 أغسطس آب", date(2016, 8, 11), "day")),
        ("الذي يعتزم زيارة إيران في سبتمبر أيلول", date(2015, 7, 21), ("سبتمبر أيلول", date(2015, 9, 1), "month")),
        # a month in a date context, with its tense
        (
            "الى ايران في سبتمبر (ايلول) المقبل.",
            date(2015, 7, 21),
            ("سبتمبر (ايلول) المقبل", date(2015, 9, 1), "month"),
        ),
        (
            "زيارته السابقة إلى بغداد في مايو (أيار) الماضي،",
            date(2015, 7, 21),
            ("مايو (أيار) الماضي", date(2015, 5, 1), "month"),
        ),
        ("رفعت واشنطن في أواخر مارس التجميد", date(2015, 8, 2), ("مارس", date(2015, 3, 1), "month")),
        ("ديسمبر الماضي", date(2016, 3, 24), ("ديسمبر الماضي", date(2015, 12, 1), "month")),
        # a bare year in a date context
        ("وهذا الحوار الذي سيعقد للمرة الأولى منذ 2009 يأتي", PUBLISHED, ("2009", date(2009, 1, 1), "year")),
        # no trailing space in the span
        (
            "والزيارة مقررة في 29 تموز/يوليو بحسب مقربين منه",
            date(2015, 7, 22),
            ("29 تموز/يوليو", date(2015, 7, 29), "day"),
        ),
        ("الإثنين 29/مايو/2017 - 06:34 م", date(2017, 5, 29), ("الإثنين 29/مايو/2017", date(2017, 5, 29), "day")),
    ],
)
def test_real_forms(text, published, expected):
    assert one(text, published) == expected


def test_years_joined_by_and_and_numbers_that_are_not_years():
    text = "السفير السعودي في واشنطن (بين العامين 1981 و2005)"
    assert [(d.text, d.date, d.precision) for d in find_dates(text, PUBLISHED)] == [
        ("1981", date(1981, 1, 1), "year"),
        ("2005", date(2005, 1, 1), "year"),
    ]
    assert find_dates("وفي 2000 شخص قتلوا", PUBLISHED) == []
    assert find_dates("قال إن 2016 كان عاما صعبا", PUBLISHED) == []


def test_weekdays_ahead_and_behind_with_tense():
    sunday = date(2015, 8, 2)
    assert one("ومن مصر سينتقل كيري الاثنين إلى الدوحة", sunday) == ("الاثنين", date(2015, 8, 3), "day")
    assert one("ومن المقرر أن يصل الوفد يوم الثلاثاء", sunday) == ("يوم الثلاثاء", date(2015, 8, 4), "day")
    assert one("غدا الثلاثاء أمام مجلس الشورى", date(2015, 7, 20)) == ("الثلاثاء", date(2015, 7, 21), "day")
    assert one("يصل الثلاثاء المقبل", sunday) == ("الثلاثاء المقبل", date(2015, 8, 4), "day")
    assert one("وصل الثلاثاء الماضي", sunday) == ("الثلاثاء الماضي", date(2015, 7, 28), "day")
    tuesday = date(2016, 9, 20)
    assert one("سيجتمعون مرة أخرى الجمعة القادمة", tuesday) == ("الجمعة القادمة", date(2016, 9, 23), "day")
    assert one("التقى نظيره يوم الثلاثاء", tuesday) == ("يوم الثلاثاء", date(2016, 9, 20), "day")
    # "سياسة" starts like a future verb but is not one
    assert one("تناول سياسة إيران الخميس", date(2016, 9, 20)) == ("الخميس", date(2016, 9, 15), "day")


def test_today_and_yesterday_are_not_ahead_and_hijri_dates_have_no_gregorian_value():
    thursday = date(2015, 8, 6)
    assert one("وسيعاود الفريق تدريباته صباح اليوم الأربعاء", thursday) == ("الأربعاء", date(2015, 8, 5), "day")
    assert one("وسيعلن المدرب أمس الاثنين قائمته", thursday) == ("الاثنين", date(2015, 8, 3), "day")
    [hijri] = find_dates("قيد الناخبين في 7/11/1436 في جميع المراكز", thursday)
    assert (hijri.text, hijri.date) == ("7/11/1436", None)

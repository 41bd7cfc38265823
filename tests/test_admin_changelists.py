"""Changelists: query counts that do not grow with the rows, estimated counts, normalised search."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin.coverage import EstimatedCountPaginator
from articles.models import Article, Mention, Note, Quote
from diplomacy.models import Agreement, AgreementParty, ParticipantAlias, Participation
from tests.factories import make_article, make_meeting, make_participant, make_place, make_source, make_topic

# Every changelist, seen by an editor, starts with the same four queries:
# 1 the session, 2 the user, 3 the user's own permissions, 4 their groups' permissions.
# Each list then counts its rows once (show_full_result_count is off) and reads one page.
START = 4
# The lists of reports and annotations ask PostgreSQL for its row estimate first (pg_class);
# these test tables are small, so an exact count follows.
ESTIMATE = 1 if connection.vendor == "postgresql" else 0


def rows_of(kind, n, editor):
    """`n` rows for the changelist of `kind`, each with the related rows its columns show."""
    source, speaker, place = make_source(), make_participant(), make_place()
    for i in range(n):
        if kind == "article":
            make_article(source=source, submitted_by=editor, published_by=editor)
        elif kind in ("quote", "mention", "note"):
            article = make_article(source=source)
            text = article.body[:4]
            if kind == "quote":
                Quote.objects.create(article=article, start=0, end=4, text=text, speaker=speaker, addressee=speaker)
            elif kind == "mention":
                Mention.objects.create(article=article, start=0, end=4, text=text, participant=make_participant())
            else:
                Note.objects.create(article=article, start=0, end=4, text=text, note="ملاحظة", author=editor)
        elif kind == "source":
            make_source()
        elif kind == "participant":
            person = make_participant()
            ParticipantAlias.objects.create(participant=person, name=f"اسم {i}")
            ParticipantAlias.objects.create(participant=person, name=f"لقب {i}")
        elif kind == "meeting":
            visit = make_meeting(place=place)
            meeting = make_meeting(place=make_place(), part_of=visit, start=datetime.date(2016, 1 + i % 12, 1))
            Participation.objects.create(meeting=meeting, participant=speaker)
        elif kind == "agreement":
            agreement = Agreement.objects.create(
                kind="ceasefire", status="agreed", title_ar=f"اتفاق {i}", slug=f"agreement-{n}-{i}"
            )
            AgreementParty.objects.create(agreement=agreement, participant=speaker)
        elif kind == "place":
            make_place()
        elif kind == "topic":
            make_topic()


CHANGELISTS = {
    # 5 sources that articles name (the source filter, EXISTS per source), 6 count, 7 the page with
    # sources and users joined, 8 first and last publication dates, 9 the years (date_hierarchy).
    # The languages are the archive's fixed list (no query).
    "articles.article": ("article", START + ESTIMATE + 5),
    # 5 count, 6 the page with articles and speakers joined
    "articles.quote": ("quote", START + ESTIMATE + 2),
    "articles.mention": ("mention", START + ESTIMATE + 2),
    "articles.note": ("note", START + ESTIMATE + 2),
    # 5 count, 6 the page, 7 the countries (country filter)
    "articles.source": ("source", START + 3),
    # 5 count, 6 the page, 7 the aliases of the whole page (prefetched), 8 the countries
    "diplomacy.participant": ("participant", START + 4),
    # 5 count, 6 the page with places and visits joined, 7 first and last dates, 8 the years,
    # 9 the places' countries (country filter)
    "diplomacy.meeting": ("meeting", START + 5),
    # 5 count, 6 the page, 7 first and last dates, 8 the years, 9 the parties' countries
    "diplomacy.agreement": ("agreement", START + 5),
    # 5 count, 6 the page, 7 the countries
    "diplomacy.place": ("place", START + 3),
    # 5 count, 6 the page
    "diplomacy.topic": ("topic", START + 2),
}


@pytest.mark.parametrize("label", CHANGELISTS)
def test_changelist_queries_do_not_grow_with_rows(label, client, editor, django_assert_num_queries):
    kind, queries = CHANGELISTS[label]
    url = reverse("admin:{}_{}_changelist".format(*label.split(".")))
    client.force_login(editor)
    rows_of(kind, 3, editor)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    rows_of(kind, 30, editor)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 30


def test_change_page_of_an_annotated_report_reads_each_kind_once(client, demo, reviewer):
    """The seed's change page: the queries do not grow with its 18 quotes and the mentions added here."""
    url = reverse("admin:articles_article_change", args=[demo.pk])
    client.force_login(reviewer)
    client.get(url)  # the first request fills process-wide caches (content types)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    kerry = demo.quotes.first().speaker
    places = [i for i in range(len(demo.body)) if demo.body.startswith("كيري", i)]
    assert len(places) >= 5
    for start in places:
        Mention.objects.create(article=demo, start=start, end=start + 4, text="كيري", participant=kerry)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["annotator"]["data"]["annotations"]) == 18 + len(places)
    assert len(many) == len(few)


# The estimated count -----------------------------------------------------------


def test_paginator_counts_exactly_when_filtered(db):
    make_article(status=Article.Status.DRAFT)
    make_article()
    paginator = EstimatedCountPaginator(Article.objects.filter(status="draft"), 10)
    paginator.estimate_above = 0
    assert paginator.count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class.reltuples exists on PostgreSQL only")
def test_paginator_estimates_an_unfiltered_big_table_on_postgresql(db):
    for _ in range(5):
        make_article()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'articles_article'")
        estimate = cursor.fetchone()[0]
    paginator = EstimatedCountPaginator(Article.objects.all(), 10)
    paginator.estimate_above = 0
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == estimate
    assert "pg_class" in queries[0]["sql"]
    assert not any("COUNT(" in q["sql"].upper() for q in queries)


def test_paginator_counts_a_small_table_exactly(db):
    for _ in range(3):
        make_article()
    assert EstimatedCountPaginator(Article.objects.all(), 10).count == 3


# Normalised search ---------------------------------------------------------------


@pytest.fixture
def assad(db):
    person = make_participant(name_ar="بشّار الأسد", name_en="Bashar al-Assad", slug="assad")
    ParticipantAlias.objects.create(participant=person, name="الرئيس السوري")
    make_participant(name_ar="الاسم المستعار", name_en="Someone", slug="someone")
    return person


@pytest.mark.parametrize("term", ["الاسد", "الأسد", "بشار", "الأَسَد", "bashar", "ASSAD", "الرئيس السوري", "السوري"])
def test_participant_search_ignores_diacritics_hamza_and_script(term, client, editor, assad):
    client.force_login(editor)
    response = client.get(reverse("admin:diplomacy_participant_changelist"), {"q": term})
    assert [p.slug for p in response.context["cl"].result_list] == ["assad"]


def test_search_does_not_find_other_words(client, editor, assad):
    client.force_login(editor)
    response = client.get(reverse("admin:diplomacy_participant_changelist"), {"q": "الاسف"})
    assert list(response.context["cl"].result_list) == []


def test_meeting_and_article_search_ignore_hamza(client, editor, db):
    make_meeting(title_ar="لقاء لافروف وكيري في موسكو", slug="moscow-talks")
    make_article(title="إيران تستقبل المبعوث الأممي")
    client.force_login(editor)
    meetings = client.get(reverse("admin:diplomacy_meeting_changelist"), {"q": "لقاء موسكو"})
    assert [m.slug for m in meetings.context["cl"].result_list] == ["moscow-talks"]
    articles = client.get(reverse("admin:articles_article_changelist"), {"q": "ايران الاممي"})
    assert [a.title for a in articles.context["cl"].result_list] == ["إيران تستقبل المبعوث الأممي"]


def test_autocomplete_uses_the_normalised_search(client, editor, assad):
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "quote", "field_name": "speaker", "term": "الاسد"},
    )
    assert [r["id"] for r in response.json()["results"]] == [str(assad.pk)]


# Nothing reads every report ---------------------------------------------------------

REPORTS = '"articles_article"'


def reads_every_report(sql):
    """Why `sql` reads the whole reports table, or None: SELECT DISTINCT over it, or COUNT(*) of it
    without a condition (Django quotes names, so a subquery's own table reads `"articles_article" U0`)."""
    compact = " ".join(sql.split())
    upper = compact.upper()
    if "DISTINCT" in upper and REPORTS.upper() in upper.split("DISTINCT", 1)[1]:
        return "SELECT DISTINCT over the reports"
    if "COUNT(" in upper and REPORTS in compact and " WHERE " not in upper:
        return "COUNT(*) of every report"
    return None


def changelist_urls(source, today):
    """Every changelist of the archive's own models, and the reports' list as editors filter it."""
    from django.contrib import admin

    urls = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
        if model._meta.app_label in ("articles", "diplomacy")
    ]
    reports = reverse("admin:articles_article_changelist")
    urls += [
        f"{reports}?{query}"
        for query in (
            "status__exact=published",
            "language=ar",
            "language=en",
            "language=other",
            f"source__id__exact={source.pk}",
            f"published__year={today.year}",
            f"published__year={today.year}&published__month={today.month}",
            f"published__gte={today.isoformat()}",
            "q=لافروف",
            "q=لافروف موسكو",
            "_facets=1",
        )
    ]
    return urls


@pytest.mark.django_db
def test_no_changelist_reads_every_report(admin_client, monkeypatch):
    """At a million reports, any query over all of them takes seconds: no list may ask one.

    The lists are judged as if big (`estimate_above` 0: every count estimated or bounded, every
    date hierarchy walked). An unfiltered COUNT(*) is checked on PostgreSQL only: on SQLite the
    archive counts exactly (small archives, no planner estimate to read).
    """
    source = make_source()
    today = datetime.date(2016, 3, 24)
    for i in range(3):
        make_article(source=source, title=f"لافروف في موسكو {i}", published=today, language="ar" if i else "fr")
    make_article(source=source, title="Lavrov in Moscow", published=datetime.date(2014, 5, 1), language="en")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
    monkeypatch.setattr(EstimatedCountPaginator, "estimate_above", 0)
    offending = []
    for url in changelist_urls(source, today):
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url)
        assert response.status_code == 200, url
        for query in queries:
            why = reads_every_report(query["sql"])
            if why and (why.startswith("SELECT DISTINCT") or connection.vendor == "postgresql"):
                offending.append((url, why, query["sql"][:300]))
    assert offending == []


def test_the_inspection_sees_what_django_would_ask():
    """The check above is not vacuous: Django's own filters and hierarchy are caught by it."""
    assert reads_every_report(
        'SELECT DISTINCT "articles_article"."language" AS "language" FROM "articles_article" ORDER BY 1 ASC'
    )
    assert reads_every_report(
        'SELECT DISTINCT DATE_TRUNC(\'year\', "articles_article"."published") AS "datefield" '
        'FROM "articles_article" WHERE "articles_article"."published" IS NOT NULL ORDER BY 1 ASC'
    )
    assert reads_every_report(
        'SELECT "articles_source"."id" FROM "articles_source" WHERE "articles_source"."id" IN '
        '(SELECT DISTINCT U0."source_id" AS "source__pk" FROM "articles_article" U0)'
    )
    assert reads_every_report('SELECT COUNT(*) AS "__count" FROM "articles_article"')
    assert not reads_every_report(
        'SELECT COUNT(*) FROM (SELECT "articles_article"."id" AS "col1" FROM "articles_article" '
        'WHERE "articles_article"."status" = \'published\' LIMIT 10001) subquery'
    )


# The language filter, the source filter and the date hierarchy: same lists as Django's -------------


@pytest.mark.django_db
def test_filters_and_date_hierarchy_list_what_they_did(client, reviewer, monkeypatch):
    source = make_source()
    make_source()  # names no report: not offered
    dates = [datetime.date(y, m, d) for y, m, d in ((2014, 5, 1), (2016, 3, 24), (2016, 3, 25), (2016, 7, 1))]
    for i, (published, language) in enumerate(zip(dates, ["ar", "en", "fr", "ar"], strict=True)):
        make_article(source=source, title=f"تقرير {i}", published=published, language=language)
    make_article(source=source, title="بلا تاريخ", published=None, approximate_date=datetime.date(2018, 1, 1))
    client.force_login(reviewer)
    url = reverse("admin:articles_article_changelist")

    def listed(query=""):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200
        return response

    for walked in (False, True):  # Django's DISTINCT (a small list) and the index walk (a big one)
        monkeypatch.setattr(EstimatedCountPaginator, "estimate_above", 0 if walked else 10_000)
        assert _hierarchy(listed(), "published__year") == ["2014", "2016"]
        assert _hierarchy(listed("published__year=2016"), "published__month") == ["3", "7"]
        assert _hierarchy(listed("published__year=2016&published__month=3"), "published__day") == ["24", "25"]
    filters = {
        getattr(spec, "parameter_name", None) or spec.field_path: spec for spec in listed().context["cl"].filter_specs
    }
    languages = [title for _, title in filters["language"].lookup_choices]
    assert len(languages) == 3  # Arabic, English, another language
    assert [s for s, _ in filters["source"].lookup_choices] == [source.pk]
    titles = {
        lang: {a.title for a in listed(f"language={lang}").context["cl"].result_list} for lang in ("ar", "en", "other")
    }
    assert titles == {"ar": {"تقرير 0", "تقرير 3", "بلا تاريخ"}, "en": {"تقرير 1"}, "other": {"تقرير 2"}}
    # a period lists its reports newest first, as the unfiltered list does
    assert [a.title for a in listed("published__year=2016").context["cl"].result_list] == [
        "تقرير 3",
        "تقرير 2",
        "تقرير 1",
    ]


def _hierarchy(response, param):
    """The values of `param` in the date hierarchy's links, in the order shown."""
    from urllib.parse import parse_qs, urlsplit

    from django.contrib.admin.templatetags.admin_list import date_hierarchy

    choices = date_hierarchy(response.context["cl"])["choices"]
    return [parse_qs(urlsplit(choice["link"]).query)[param][0] for choice in choices]


# The reports' search: through the folded column and its index on PostgreSQL, the same matches ---------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "term, expected",
    [
        ("لافروف", {"لافْـروف يصل إلى جنيف", "للافروف تصريح"}),  # diacritics and tatweel, a clitic before
        ("لافرو", {"لافْـروف يصل إلى جنيف", "للافروف تصريح"}),  # part of a word, as an editor types
        ("الى جنيف", {"لافْـروف يصل إلى جنيف"}),  # hamza, two words
        ('"يصل الى"', {"لافْـروف يصل إلى جنيف"}),  # a phrase
        ("LAVROV", {"Lavrov in Geneva"}),  # case
        ("مراسلنا", {"Lavrov in Geneva"}),  # the byline
        ("جنيف موسكو", set()),  # every term must be found
    ],
)
def test_report_search_finds_what_the_scan_found(term, expected, client, editor):
    make_article(title="لافْـروف يصل إلى جنيف")
    make_article(title="للافروف تصريح")
    make_article(title="Lavrov in Geneva", byline="مراسلنا في جنيف", language="en")
    make_article(title="موسكو ترد")
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:articles_article_changelist"), {"q": term})
    assert {a.title for a in response.context["cl"].result_list} == expected
    if connection.vendor == "postgresql":  # through the folded column, which the trigram index serves
        assert any('"search_folded"' in q["sql"] for q in queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="archive_fold exists on PostgreSQL only")
def test_the_database_folds_as_the_code_does(db):
    """The function (and the stored column) were made from the table of the day: a change to the
    normalisation must come with a migration that makes them again (see migration 0008)."""
    from articles.admin.search import _SCANNED, fold

    texts = ["".join(chr(c) for c in _SCANNED), "الأَسَد ومُحمّد وإيران والـرئيس", "Lavrov GENEVA ٢٠١٦", "ﻻ"]
    with connection.cursor() as cursor:
        for text in texts:
            cursor.execute("SELECT archive_fold(%s)", [text])
            assert cursor.fetchone()[0] == fold(text)
    article = make_article(title="الأَسَد", byline="Reuters")
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_folded FROM articles_article WHERE id = %s", [article.pk])
        assert cursor.fetchone()[0] == "الاسد reuters"

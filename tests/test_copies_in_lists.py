"""Copies of one wire story are one entry in the public lists: the earliest printing, with "N other
outlets carried this text" opening onto the others; `?copies=all` lists every copy; totals say
whether they count reports or texts (docs/instruments.md, "Copies in lists")."""

import datetime
import re

import pytest
from rest_framework.test import APIClient

from articles import actions, workflow
from articles.duplicates import index_text, rebuild_copy_groups, regroup
from articles.models import Article
from diplomacy.models import Participant
from tests.factories import make_article, make_source
from tests.public_helpers import LANGUAGES
from tests.test_duplicates import WIRE

pytestmark = pytest.mark.django_db

OTHER = "قمة عربية في القاهرة تبحث أزمة المياه بين مصر وإثيوبيا وتدعو إلى حل تفاوضي عادل وشامل للجميع"


def _report(body, *, source, published, title, status=Article.Status.PUBLISHED):
    article = make_article(title=title, body=body, source=source, published=published, status=status)
    index_text(article, new=True)
    article.refresh_from_db()
    return article


@pytest.fixture
def wire(db):
    """The same agency text printed by three outlets on two days, and an unrelated report."""
    kerry = Participant.objects.create(kind="person", name_ar="جون كيري", name_en="John Kerry", slug="kerry")
    outlets = [make_source(name_en=f"Outlet {n}", slug=f"outlet-{n}") for n in "abc"]
    first = _report(WIRE, source=outlets[0], published=datetime.date(2016, 3, 24), title="نقل أول للخبر")
    second = _report(
        "موسكو (رويترز) - " + WIRE, source=outlets[1], published=datetime.date(2016, 3, 25), title="نقل ثان للخبر"
    )
    third = _report("عاجل: " + WIRE, source=outlets[2], published=datetime.date(2016, 3, 25), title="نقل ثالث للخبر")
    alone = _report(OTHER, source=outlets[0], published=datetime.date(2016, 3, 26), title="قمة القاهرة")
    for article in (first, second, third, alone):
        article.participants.add(kerry)
        article.refresh_from_db()
    return {"outlets": outlets, "copies": [first, second, third], "alone": alone}


def _titles(html):
    """The titles of the list's entries, in order (not those inside an entry's list of copies)."""
    return re.findall(r'<h3 class="report-title"[^>]*><a href="[^"]+">(?:\u2068)?([^<\u2069]+)', html)


def test_copies_share_a_group_and_a_report_alone_has_none(wire):
    first, second, third = wire["copies"]
    assert {first.copy_group, second.copy_group, third.copy_group} == {first.pk}
    assert wire["alone"].copy_group is None


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_list_shows_each_text_once_by_its_earliest_printing(client, wire, prefix):
    first, second, third = wire["copies"]
    html = client.get(f"{prefix}/articles/").content.decode()
    assert _titles(html) == [wire["alone"].title, first.title]
    entry = html[html.index(first.title) :]
    assert ("2 other outlets carried this text" if prefix else "نشرت وسيلتان أخريان هذا النص") in entry
    # the others are one click away: in the entry, with their outlets and addresses
    for copy in (second, third):
        assert copy.get_absolute_url() in entry
    assert "?copies=all" in html
    # totals say what they count: two texts in four reports
    if prefix:
        assert "2 texts in 4 reports" in html
        assert "Numbers count reports, every copy included." in html
    else:  # each number with its own noun's form: the dual of texts, the plural of 3–10 reports
        assert "نصان في 4 تقارير" in html


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_every_copy_is_listed_on_request_and_the_choice_is_kept(client, wire, prefix):
    html = client.get(f"{prefix}/articles/?copies=all&page_size=2").content.decode()
    assert len(_titles(html)) == 2
    if prefix:
        assert "4 reports, every copy listed" in html
    # pagination, facets and the filter form keep the choice
    assert re.search(r'href="\?[^"]*copies=all[^"]*page=2"', html)
    assert re.search(r'<a href="\?copies=all&amp;page_size=2&amp;participant=kerry"', html)
    assert '<input type="hidden" name="copies" value="all">' in html
    second = client.get(f"{prefix}/articles/?copies=all&page_size=2&page=2").content.decode()
    assert len(_titles(html)) + len(_titles(second)) == 4


def test_facets_count_reports_and_each_leads_to_what_it_counts(client, wire):
    html = client.get("/en/articles/").content.decode()
    facet = re.search(r'href="\?source=outlet-b"[^>]*>.*?<span class="count">(\d+)</span>', html, re.S)
    assert facet.group(1) == "1"
    # the second outlet's copy is listed when the first printing is filtered out
    narrowed = client.get("/en/articles/?source=outlet-b").content.decode()
    assert _titles(narrowed) == [wire["copies"][1].title]
    assert "1 report" in narrowed
    # a filter that keeps two copies shows one text, and says so
    both = client.get("/en/articles/?source=outlet-b&source=outlet-c").content.decode()
    assert _titles(both) == [wire["copies"][1].title]  # the same day: the first archived
    assert "1 text in 2 reports" in both
    # in Arabic the reports' number takes its own form (the dual, after في), not the texts'
    assert "نص واحد في تقريرين" in client.get("/articles/?source=outlet-b&source=outlet-c").content.decode()


def test_the_earliest_printing_is_shown_whatever_the_order(client, wire):
    first = wire["copies"][0]
    for sort in ("newest", "oldest", "source"):
        titles = _titles(client.get(f"/en/articles/?sort={sort}").content.decode())
        assert first.title in titles and len(titles) == 2
    # move the first printing after the others: now the copy printed first is the one shown
    Article.objects.filter(pk=first.pk).update(published=datetime.date(2016, 4, 1))
    # the two others were printed the same day: the first archived of them
    assert _titles(client.get("/en/articles/").content.decode()) == [wire["alone"].title, wire["copies"][1].title]


def test_search_collapses_copies_too(client, wire):
    html = client.get("/en/search/?q=لافروف").content.decode()
    assert _titles(html) == [wire["copies"][0].title]
    assert "1 text in 3 reports" in html
    assert len(_titles(client.get("/en/search/?q=لافروف&copies=all").content.decode())) == 3


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_home_page_lists_the_latest_texts_once(client, wire, prefix):
    first, second, third = wire["copies"]
    html = client.get(f"{prefix}/").content.decode()
    assert sorted(_titles(html)) == sorted([wire["alone"].title, first.title])
    entry = html[html.index(first.title) :]
    assert ("2 other outlets carried this text" if prefix else "نشرت وسيلتان أخريان هذا النص") in entry
    assert second.get_absolute_url() in entry and third.get_absolute_url() in entry


def test_an_unknown_copies_value_is_a_clear_400(client, wire):
    for url in ("/en/articles/?copies=some", "/en/search/?q=كيري&copies=1", "/en/sources/outlet-a/?copies=x"):
        response = client.get(url)
        assert response.status_code == 400
        assert "copies must be" in response.content.decode()


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_record_pages_list_each_text_once(client, wire, prefix):
    first, second, third = wire["copies"]
    html = client.get(f"{prefix}/participants/kerry/").content.decode()
    assert _titles(html) == [wire["alone"].title, first.title]
    assert second.get_absolute_url() in html  # inside the first printing's entry
    if prefix:
        assert "4 reports, 2 texts: copies of one text are listed once." in html
    else:
        assert "4 تقارير، نصان: تُعرض نسخ النص الواحد مرة واحدة." in html
    # an outlet's page: within one outlet there is nothing to collapse, but the copies elsewhere are named
    page = client.get(f"{prefix}/sources/outlet-b/").content.decode()
    assert _titles(page) == [second.title]
    assert first.get_absolute_url() in page and third.get_absolute_url() in page


def test_groups_follow_edits_publication_and_deletion(wire, reviewer):
    first, second, third = wire["copies"]
    # an edit that makes the third report another text takes it out of the group
    actions.edit_article(third, user=reviewer, values={"body": OTHER + " وتقرير آخر مختلف."})
    third.refresh_from_db()
    assert third.copy_group is None
    # a withdrawn report is not grouped; published again, it is
    workflow.withdraw(second, user=reviewer)
    assert Article.objects.get(pk=second.pk).copy_group is None
    assert Article.objects.get(pk=first.pk).copy_group is None  # alone now
    workflow.publish(second, user=reviewer)
    assert Article.objects.get(pk=second.pk).copy_group == first.pk
    # deleting the report whose id named the group names it after the next one
    fourth = _report("عاجل جدا: " + WIRE, source=make_source(), published=None, title="نقل رابع")
    assert fourth.copy_group == first.pk
    first.delete()
    assert set(Article.objects.filter(pk__in=[second.pk, fourth.pk]).values_list("copy_group", flat=True)) == {
        second.pk
    }


def test_a_draft_is_never_grouped_and_a_rebuild_gives_the_same_groups(wire):
    draft = _report("موسكو - " + WIRE, source=make_source(), published=None, title="مسودة", status="draft")
    assert draft.copy_group is None
    before = dict(Article.objects.values_list("pk", "copy_group"))
    Article.objects.update(copy_group=None)
    rebuild_copy_groups(batch_size=2)
    assert dict(Article.objects.values_list("pk", "copy_group")) == before
    regroup([draft.pk])  # asked about a draft: nothing changes
    assert dict(Article.objects.values_list("pk", "copy_group")) == before


def test_the_api_collapses_copies_when_asked_and_names_them(wire, django_assert_num_queries):
    api = APIClient()
    first, second, third = wire["copies"]
    plain = api.get("/api/v1/articles/").json()["results"]
    assert len(plain) == 4 and all(row["copies"] is None for row in plain)  # not asked: null, no query
    # 1 the earliest printings, 2 the copies of those on the page
    with django_assert_num_queries(2):
        rows = api.get("/api/v1/articles/?collapse=copies&ordering=published").json()["results"]
    assert [row["id"] for row in rows] == [first.pk, wire["alone"].pk]
    assert [c["id"] for c in rows[0]["copies"]] == [second.pk, third.pk]
    assert rows[0]["copies"][0]["source"] == "outlet-b" and rows[0]["copies"][0]["url"].endswith(f"/{second.pk}/")
    assert rows[1]["copies"] == []
    # with other filters: the copies left after filtering are collapsed among themselves
    narrowed = api.get("/api/v1/articles/?collapse=copies&source=outlet-b&source=outlet-c").json()["results"]
    assert [row["id"] for row in narrowed] == [second.pk]
    bad = api.get("/api/v1/articles/?collapse=everything")
    assert bad.status_code == 400 and "collapse" in bad.content.decode()
    # an export has its columns as before (and lists the earliest printings)
    response = api.get("/api/v1/articles/?collapse=copies&format=csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert "copies" not in lines[0] and len(lines) == 3

"""Reading the API: resources, visibility, filters, search, ordering and paging."""

import base64
import datetime
import json

import pytest

from articles.models import Article, Note, Quote
from diplomacy.models import Agreement, AgreementParty, ParticipantAlias, Participation
from tests.api_support import *  # noqa: F403  (the API fixtures: api, editor_api, reviewer_api, throttle reset)
from tests.api_support import API, make_articles, walk
from tests.factories import (
    make_article,
    make_meeting,
    make_participant,
    make_place,
    make_public,
    make_source,
    make_topic,
)

pytestmark = pytest.mark.django_db


def test_article_list_is_light_and_detail_carries_body_and_annotations(api, demo):
    listed = api.get(f"{API}/articles/").json()
    assert listed["next"] is None and listed["previous"] is None
    (row,) = listed["results"]
    assert row["id"] == demo.pk and "body" not in row and row["url"].endswith(f"/api/v1/articles/{demo.pk}/")

    detail = api.get(row["url"]).json()
    assert detail["body"] == demo.body
    assert len(detail["quotes"]) == 18
    quote = detail["quotes"][0]
    assert demo.body[quote["start"] : quote["end"]] == quote["text"]
    slugs = {p["slug"] for p in detail["participants"]}
    assert {"kerry", "lavrov", "putin"} <= slugs
    assert {q["speaker"] for q in detail["quotes"] if q["speaker"]} <= slugs
    kerry = next(p for p in detail["participants"] if p["slug"] == "kerry")
    assert kerry["url"].endswith("/api/v1/participants/kerry/")
    assert api.get(kerry["url"]).json()["name_en"] == "John Kerry"
    assert {m["slug"] for m in detail["meetings"]} == set(demo.meetings.values_list("slug", flat=True))
    assert {a["slug"] for a in detail["agreements"]} == set(demo.agreements.values_list("slug", flat=True))
    assert detail["topics"] and detail["mentions"] is not None


def test_drafts_and_their_annotations_are_hidden_from_the_public(api, editor_api, demo):
    draft = make_article(status=Article.Status.DRAFT, title="مسودة", body="نص المسودة هنا")
    Quote.objects.create(article=draft, start=0, end=2, text="نص")
    assert api.get(f"{API}/articles/{draft.pk}/").status_code == 404
    assert [r["id"] for r in api.get(f"{API}/articles/").json()["results"]] == [demo.pk]
    assert all(q["article"] == demo.pk for q in walk(api, f"{API}/quotes/?page_size=100")[0])
    assert api.get(f"{API}/articles/{draft.pk}/annotations/").status_code == 404
    # Asking for drafts by status gives the public nothing; editors get them.
    assert api.get(f"{API}/articles/?status=draft").json()["results"] == []
    assert [r["id"] for r in editor_api.get(f"{API}/articles/?status=draft").json()["results"]] == [draft.pk]
    assert editor_api.get(f"{API}/articles/{draft.pk}/").status_code == 200


def test_notes_are_for_editors_only(api, editor_api, editor, demo):
    Note.objects.create(article=demo, start=0, end=4, text=demo.body[:4], note="تحقق", author=editor)
    assert api.get(f"{API}/notes/").status_code in (401, 403)
    rows = editor_api.get(f"{API}/notes/").json()["results"]
    assert [n["note"] for n in rows] == ["تحقق"] and rows[0]["author"] == "editor"


def test_article_filters_reuse_the_shared_filterset(api, demo):
    other = make_article(title="تقرير آخر", body="لا ذكر لأحد", published=datetime.date(2020, 1, 1))
    ids = lambda query: [r["id"] for r in api.get(f"{API}/articles/?{query}").json()["results"]]  # noqa: E731
    assert ids("participant=lavrov") == [demo.pk]
    assert ids("country=RU") == [demo.pk]
    assert ids("published_after=2019-01-01") == [other.pk]
    assert ids("published_before=2019-01-01") == []
    assert ids("topic=syria-war") == [demo.pk]
    assert set(ids("")) == {demo.pk, other.pk}


def test_search_finds_spelling_variants_and_refuses_bad_queries(api, demo):
    make_article(title="لا صلة", body="نص آخر تماما")
    found = api.get(f"{API}/articles/", {"q": "لافروف"}).json()["results"]
    assert [r["id"] for r in found] == [demo.pk]
    response = api.get(f"{API}/articles/", {"q": "x" * 501})
    assert response.status_code == 400
    assert "q" in response.json()["fields"]


def test_quote_filters(api, demo):
    kerry = api.get(f"{API}/quotes/?speaker=kerry&page_size=100").json()["results"]
    assert kerry and all(q["speaker"] == "kerry" for q in kerry)
    assert len(kerry) == demo.quotes.filter(speaker__slug="kerry").count()
    by_article = walk(api, f"{API}/quotes/?article={demo.pk}&page_size=7")[0]
    assert len(by_article) == 18
    assert api.get(f"{API}/quotes/?article=0").status_code == 400
    assert api.get(f"{API}/quotes/?speaker=nobody-at-all").status_code == 400
    meeting = demo.quotes.exclude(meeting=None).values_list("meeting__slug", flat=True).first()
    if meeting:
        rows = api.get(f"{API}/quotes/?meeting={meeting}&page_size=100").json()["results"]
        assert rows and all(q["meeting"] == meeting for q in rows)


def test_meeting_filters(api):
    moscow, geneva = make_place(), make_place()
    kerry, lavrov = make_participant(), make_participant()
    early = make_meeting(place=moscow, start=datetime.date(2016, 3, 24))
    late = make_meeting(place=geneva, start=datetime.date(2017, 5, 1), end=datetime.date(2017, 5, 3), kind="summit")
    Participation.objects.create(meeting=early, participant=kerry)
    Participation.objects.create(meeting=early, participant=lavrov)
    Participation.objects.create(meeting=late, participant=kerry)
    make_public(early, late)
    slugs = lambda query: [m["slug"] for m in api.get(f"{API}/meetings/?{query}").json()["results"]]  # noqa: E731
    assert slugs(f"participant={kerry.slug}") == [late.slug, early.slug]
    assert slugs(f"participant={kerry.slug}&participant={lavrov.slug}") == [early.slug]
    assert slugs("kind=summit") == [late.slug]
    assert slugs(f"place={moscow.slug}") == [early.slug]
    assert slugs("date_after=2017-05-02") == [late.slug]  # still going on that day
    assert slugs("date_before=2016-12-31") == [early.slug]
    assert slugs("ordering=start") == [early.slug, late.slug]


def test_agreement_filters(api):
    russia, usa = make_participant(kind="state"), make_participant(kind="state")
    truce = Agreement.objects.create(
        kind="truce", status="agreed", title_ar="هدنة", slug="truce", announced=datetime.date(2016, 2, 22)
    )
    treaty = Agreement.objects.create(
        kind="treaty", status="signed", title_ar="معاهدة", slug="treaty", signed=datetime.date(2018, 1, 1)
    )
    AgreementParty.objects.create(agreement=truce, participant=russia)
    AgreementParty.objects.create(agreement=truce, participant=usa, role="guarantor")
    AgreementParty.objects.create(agreement=treaty, participant=russia)
    make_public(truce, treaty)
    slugs = lambda query: [a["slug"] for a in api.get(f"{API}/agreements/?{query}").json()["results"]]  # noqa: E731
    assert set(slugs(f"party={russia.slug}")) == {"truce", "treaty"}
    assert slugs(f"party={russia.slug}&party={usa.slug}") == ["truce"]
    assert slugs("kind=treaty") == ["treaty"]
    assert slugs("status=agreed") == ["truce"]
    assert slugs("date_after=2017-01-01") == ["treaty"]  # no announcement: the signing date counts
    assert slugs("date_before=2017-01-01") == ["truce"]


def test_participants_by_name_in_either_script_and_any_spelling(api):
    lavrov = make_participant(name_ar="سيرغي لافروف", name_en="Sergey Lavrov", country="RU")
    ParticipantAlias(participant=lavrov, name="لافروف").save()
    ParticipantAlias(participant=lavrov, name="Sergei Lavrov", language="en").save()
    state = make_participant(kind="state", name_ar="روسيا", name_en="Russia", country="RU")
    make_public(lavrov, state)
    slugs = lambda query: [p["slug"] for p in api.get(f"{API}/participants/", query).json()["results"]]  # noqa: E731
    assert slugs({"name": "لافروف"}) == [lavrov.slug]
    assert slugs({"name": "لاَفْروف"}) == [lavrov.slug]  # diacritics do not matter
    assert slugs({"name": "sergei"}) == [lavrov.slug]  # an English alias, any case
    assert slugs({"kind": "state"}) == [state.slug]
    assert set(slugs({"country": "RU"})) == {lavrov.slug, state.slug}
    assert api.get(f"{API}/participants/", {"country": "XX"}).status_code == 400


def test_reference_lists(api):
    make_public(
        make_source(name_ar="الوقت", slug="al-waght", country="IR"),
        make_topic(slug="syria-war"),
        make_place(slug="moscow", country="RU"),
    )
    assert [s["slug"] for s in api.get(f"{API}/sources/?country=IR").json()["results"]] == ["al-waght"]
    assert api.get(f"{API}/topics/syria-war/").json()["slug"] == "syria-war"
    assert api.get(f"{API}/places/moscow/").json()["country"] == "RU"
    assert api.get(f"{API}/places/nowhere/").status_code == 404


@pytest.mark.parametrize("page_size", [1, 3, 10])
def test_paging_forward_and_back_visits_every_row_once_in_order(api, page_size):
    made = make_articles(11)
    expected = [a.pk for a in Article.objects.order_by(*Article._meta.ordering)]
    assert len(expected) == len(made)
    rows, pages = walk(api, f"{API}/articles/?page_size={page_size}")
    assert [r["id"] for r in rows] == expected
    assert pages == -(-len(expected) // page_size)

    # Walk back from the last page by `previous` links.
    url, last = f"{API}/articles/?page_size={page_size}", None
    while url:
        last = api.get(url).json()
        url = last["next"]
    back = []
    page = last
    while True:
        back = [r["id"] for r in page["results"]] + back
        if page["previous"] is None:
            break
        page = api.get(page["previous"]).json()
    assert back == expected


@pytest.mark.parametrize("ordering", ["published", "-id", "id", "title"])
def test_every_ordering_pages_completely(api, ordering):
    make_articles(9)
    rows, _ = walk(api, f"{API}/articles/?page_size=2&ordering={ordering}")
    assert len(rows) == 9 and len({r["id"] for r in rows}) == 9
    if ordering == "id":
        assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    if ordering == "published":
        dated = [r["published"] for r in rows if r["published"]]
        assert dated == sorted(dated) and rows[-1]["published"] is None  # unknown dates come last


def test_ranked_search_pages_by_keyset_on_rank(api):
    day = datetime.date(2016, 1, 1)
    in_title = [
        make_article(title=f"لقاء كيري {i}", body="كيري ولافروف", published=day.replace(day=1 + i)) for i in range(4)
    ]
    in_body = make_article(title="غير ذي صلة", body="قال كيري", published=datetime.date(2017, 1, 1))
    make_article(title="نص آخر", body="نص")
    rows, pages = walk(api, f"{API}/articles/?q=كيري&page_size=2")
    # the title matches first (newest first among them), then the body-only match, however new it is
    assert [r["id"] for r in rows] == [a.pk for a in reversed(in_title)] + [in_body.pk] and pages == 3
    first = api.get(f"{API}/articles/?q=كيري&page_size=2").json()
    second = api.get(first["next"]).json()
    assert api.get(second["previous"]).json()["results"] == rows[:2]
    # a report that ranks above the cursor arrives while a client pages: later pages neither repeat
    # nor skip a row (an offset would have shifted everything by one)
    make_article(title="كيري", body="كيري", published=datetime.date(2018, 1, 1))
    rest, _ = walk(api, first["next"])
    assert [r["id"] for r in first["results"] + rest] == [r["id"] for r in rows]


def test_ranked_cursor_is_refused_for_another_query_order(api):
    make_articles(3)
    ranked = api.get(f"{API}/articles/?q=تقرير&page_size=1").json()
    assert ranked["next"] is not None
    token = ranked["next"].split("cursor=")[1].split("&")[0]
    response = api.get(f"{API}/articles/?cursor={token}&page_size=1")  # the same cursor, no search
    assert response.status_code == 400 and "cursor" in response.json()["fields"]


def cursor(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "query",
    [
        "page_size=0",
        "page_size=101",
        "page_size=99999999999999999999999",
        "page_size=abc",
        "cursor=not-a-cursor",
        "cursor=" + cursor([1, 2]),
        "cursor=" + cursor({"o": "title", "k": ["x", 1]}),  # made for another ordering
        "cursor=" + cursor({"o": "-published", "k": ["2016-99-99", 1]}),
        "cursor=" + cursor({"o": "-published", "k": ["2016-01-01", 10**30]}),
        "cursor=" + cursor({"o": "-published", "k": ["2016-01-01\x00", 1]}),
        "cursor=" + cursor({"o": "-published", "k": [None]}),
        "cursor=" + cursor({"o": "rank", "n": -5}) + "&q=كيري",
        "cursor=" + cursor({"o": "rank", "n": 10**9}) + "&q=كيري",
        "cursor=" + cursor({"o": "rank", "k": ["high", "2016-01-01", 1]}) + "&q=كيري",
        "cursor=" + cursor({"o": "rank", "k": [10**30, None, 1]}) + "&q=كيري",
        "ordering=body",
        "ordering=-published%00",
        "published_after=2016-02-30",
        "published_after=99999-01-01",
        "published_before=yesterday",
        "participant=%00",
        "q=%00",
        "q=" + "و" * 600,
        "country=ZZ",
        "status=lost",
    ],
)
def test_odd_parameters_answer_400_with_a_message(api, query):
    make_articles(3)
    response = api.get(f"{API}/articles/?{query}")
    assert response.status_code == 400, response.content
    error = response.json()
    assert error["status"] == 400 and error["code"] == "invalid" and error["message"]
    assert error["fields"] and all(messages for messages in error["fields"].values())


@pytest.mark.parametrize(
    "url",
    [
        "/quotes/?article=99999999999999999999999",
        "/quotes/?article=-1",
        "/meetings/?date_after=2016-13-01",
        "/agreements/?date_before=0000-00-00",
        "/participants/?name=%00",
        "/participants/?name=" + "ل" * 400,
        "/meetings/?ordering=nonsense",
        "/mentions/?participant=a%00b",
    ],
)
def test_odd_parameters_on_other_lists_answer_400(api, url):
    response = api.get(f"{API}{url}")
    assert response.status_code == 400, response.content
    assert response.json()["fields"]


def test_huge_and_unknown_ids_answer_404_in_the_error_shape(api):
    for url in ("/articles/99999999999999999999999/", "/articles/123/", "/quotes/9223372036854775808/", "/nowhere/"):
        response = api.get(f"{API}{url}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found" and response.json()["message"]


def test_detail_answers_carry_an_etag_and_honour_if_none_match(api, demo):
    url = f"{API}/articles/{demo.pk}/"
    first = api.get(url)
    etag = first["ETag"]
    assert etag.startswith('"')
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and not again.content
    Quote.objects.filter(article=demo).first().delete()  # an annotation changed: the representation did too
    changed = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_anonymous_clients_are_throttled_and_editors_are_not(api, editor_api, settings):
    settings.API_ANON_THROTTLE_RATE = "3/minute"
    make_articles(1)
    codes = [api.get(f"{API}/articles/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = api.get(f"{API}/articles/")
    assert refused.json()["code"] == "throttled" and refused["Retry-After"]
    assert all(editor_api.get(f"{API}/articles/").status_code == 200 for _ in range(5))


def test_cors_allows_reading_from_configured_origins_only(api, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://research.example.org"]
    make_articles(1)
    allowed = api.get(f"{API}/articles/", HTTP_ORIGIN="https://research.example.org")
    assert allowed["Access-Control-Allow-Origin"] == "https://research.example.org"
    assert "Access-Control-Allow-Origin" not in api.get(f"{API}/articles/", HTTP_ORIGIN="https://evil.example")
    preflight = api.options(
        f"{API}/articles/",
        HTTP_ORIGIN="https://research.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")

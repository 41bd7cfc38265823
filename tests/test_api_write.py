"""Writing through the API: editors annotate and submit; reviewers publish; the admin's validation holds."""

import datetime
import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.api import views as api_views
from articles.models import Article, Mention, Note, Quote
from articles.suggestions import suggest_for_article
from diplomacy.models import Meeting, Participant
from tests.api_support import *  # noqa: F403  (the API fixtures)
from tests.api_support import API
from tests.factories import make_article, make_participant, make_place, make_public, make_topic

pytestmark = pytest.mark.django_db

BODY = "قال كيري إن الحل سياسي.\nورد لافروف بأن الحوار مستمر."


@pytest.fixture
def draft(editor):
    return make_article(title="تقرير للتجربة", body=BODY, status=Article.Status.DRAFT)


def test_anonymous_and_unprivileged_clients_cannot_write(api, django_user_model, draft):
    assert api.post(f"{API}/quotes/", {"article": draft.pk, "start": 4, "end": 8, "text": "كيري"}).status_code in (
        401,
        403,
    )
    plain = APIClient()
    plain.force_authenticate(django_user_model.objects.create_user("reader"))
    response = plain.patch(f"{API}/articles/{draft.pk}/", {"title": "x"})
    assert response.status_code == 403  # refused before the record is even looked up
    assert plain.post(f"{API}/participants/", {"slug": "x", "kind": "person", "name_ar": "س"}).status_code == 403


def test_editor_annotates_a_draft_with_a_quote_a_mention_and_a_note(editor_api, draft):
    kerry = make_participant(slug="kerry")
    start = BODY.index("الحل")
    quote = editor_api.post(
        f"{API}/quotes/",
        {"article": draft.pk, "start": start, "end": start + 10, "text": BODY[start : start + 10], "speaker": "kerry"},
    )
    assert quote.status_code == 201, quote.content
    assert Quote.objects.get(pk=quote.json()["id"]).speaker == kerry
    mention = editor_api.post(
        f"{API}/mentions/", {"article": draft.pk, "start": 4, "end": 8, "text": "كيري", "participant": "kerry"}
    )
    assert mention.status_code == 201, mention.content
    note = editor_api.post(f"{API}/notes/", {"article": draft.pk, "start": 0, "end": 3, "text": "قال", "note": "تحقق"})
    assert note.status_code == 201 and note.json()["author"] == "editor"
    assert Note.objects.get().author.username == "editor"
    # The derived participants follow the annotation.
    assert list(draft.participants.values_list("slug", flat=True)) == ["kerry"]
    # And the editor can change and delete them.
    assert editor_api.patch(quote.json()["url"], {"kind": "indirect"}).json()["kind"] == "indirect"
    assert editor_api.delete(mention.json()["url"]).status_code == 204
    assert not Mention.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"start": 4, "end": 8, "text": "كيرى"}, "text"),  # not the body's words
        ({"start": 8, "end": 4, "text": "كيري"}, "end"),  # ends before it starts
        ({"start": 4, "end": 9999, "text": "كيري"}, "end"),  # past the end of the body
        ({"start": -1, "end": 8, "text": "كيري"}, "start"),
        ({"start": 4, "end": 8, "text": "كيري", "speaker": "nobody"}, "speaker"),
        ({"start": 4, "end": 8, "text": "كيري", "kind": "shouted"}, "kind"),
        ({"start": 4, "end": 8}, "text"),
        ({"start": 4, "end": 8, "text": "كي\x00ري"}, "text"),
        ({"start": 4, "end": 8, "text": "كيري", "article": 10**30}, "article"),
        ({"start": 4, "end": 8, "text": "كيري", "article": "abc"}, "article"),
    ],
)
def test_a_bad_quote_is_refused_with_a_message_on_its_field(editor_api, draft, payload, field):
    payload = {"article": draft.pk, **payload}
    response = editor_api.post(f"{API}/quotes/", payload)
    assert response.status_code == 400, response.content
    error = response.json()
    assert field in error["fields"] and error["fields"][field][0]
    assert not Quote.objects.exists()


def test_the_same_quote_twice_is_refused_not_a_server_error(editor_api, draft):
    payload = {"article": draft.pk, "start": 4, "end": 8, "text": "كيري"}
    assert editor_api.post(f"{API}/quotes/", payload).status_code == 201
    again = editor_api.post(f"{API}/quotes/", payload)
    assert again.status_code == 400 and again.json()["fields"]


def test_a_mention_names_exactly_one_thing(editor_api, draft):
    make_participant(slug="kerry")
    make_place(slug="moscow")
    base = {"article": draft.pk, "start": 4, "end": 8, "text": "كيري"}
    none = editor_api.post(f"{API}/mentions/", base)
    both = editor_api.post(f"{API}/mentions/", {**base, "participant": "kerry", "place": "moscow"})
    assert none.status_code == both.status_code == 400
    assert "exactly one" in none.json()["fields"]["non_field_errors"][0]


def test_a_passage_cannot_move_to_another_article(editor_api, draft):
    other = make_article(body=BODY, title="نسخة أخرى")
    quote = Quote.objects.create(article=draft, start=4, end=8, text="كيري")
    response = editor_api.patch(f"{API}/quotes/{quote.pk}/", {"article": other.pk})
    assert response.status_code == 400 and "article" in response.json()["fields"]


def test_editor_creates_and_submits_but_cannot_publish(editor_api, editor):
    topic = make_topic(slug="syria-war")
    created = editor_api.post(
        f"{API}/articles/", {"title": "تقرير جديد", "body": BODY, "published": "2016-03-24", "topics": ["syria-war"]}
    )
    assert created.status_code == 201, created.content
    article = Article.objects.get(pk=created.json()["id"])
    assert article.status == "draft" and article.imported_by == editor and list(article.topics.all()) == [topic]
    assert created["Location"] == created.json()["url"]
    url = created.json()["url"]
    submitted = editor_api.patch(url, {"status": "in_review"})
    assert submitted.status_code == 200
    article.refresh_from_db()
    assert article.status == "in_review" and article.submitted_by == editor and article.submitted_at
    refused = editor_api.patch(url, {"status": "published"})
    assert refused.status_code == 403 and refused.json()["message"]
    assert Article.objects.get(pk=article.pk).status == "in_review"
    # Nor may an editor create an article already published.
    direct = editor_api.post(f"{API}/articles/", {"title": "مباشر", "body": "نص", "status": "published"})
    assert direct.status_code == 403


def test_reviewer_publishes_and_withdraws(reviewer_api, reviewer, api):
    article = make_article(status=Article.Status.IN_REVIEW)
    url = f"{API}/articles/{article.pk}/"
    assert api.get(url).status_code == 404
    assert reviewer_api.patch(url, {"status": "published"}).status_code == 200
    article.refresh_from_db()
    assert article.published_by == reviewer and article.reviewed_by == reviewer and article.published_at
    assert api.get(url).status_code == 200
    assert reviewer_api.patch(url, {"status": "withdrawn"}).status_code == 200
    assert api.get(url).status_code == 404


def test_article_validation(editor_api):
    existing = make_article(title="موجود", body="نص موجود")
    duplicate = editor_api.post(f"{API}/articles/", {"title": "موجود", "body": "نص موجود"})
    assert duplicate.status_code == 400 and str(existing.pk) in duplicate.json()["fields"]["body"][0]
    empty = editor_api.post(f"{API}/articles/", {"title": "", "body": "", "published": "2016-02-30"})
    assert empty.status_code == 400
    assert {"title", "body", "published"} <= set(empty.json()["fields"])
    unknown = editor_api.post(f"{API}/articles/", {"title": "ت", "body": "ن", "topics": ["nope"], "source": "nope"})
    assert {"topics", "source"} <= set(unknown.json()["fields"])


def test_editing_the_body_flags_passages_that_no_longer_match(editor_api, draft):
    quote = Quote.objects.create(article=draft, start=4, end=8, text="كيري")
    kept = Quote.objects.create(article=draft, start=0, end=3, text="قال")
    response = editor_api.patch(f"{API}/articles/{draft.pk}/", {"body": "قال الوزير إن الحل سياسي."})
    assert response.status_code == 200
    quote.refresh_from_db()
    kept.refresh_from_db()
    assert quote.needs_attention and not kept.needs_attention


def test_meetings_with_participants_and_dates_in_order(editor_api):
    make_participant(slug="kerry")
    make_participant(slug="lavrov")
    make_place(slug="moscow")
    payload = {
        "slug": "moscow-talks",
        "kind": "talks",
        "title_ar": "محادثات موسكو",
        "start": "2016-03-24",
        "end": "2016-03-25",
        "place": "moscow",
        "participants": [{"participant": "kerry", "role": "guest"}, {"participant": "lavrov", "role": "host"}],
    }
    created = editor_api.post(f"{API}/meetings/", payload, format="json")
    assert created.status_code == 201, created.content
    meeting = Meeting.objects.get(slug="moscow-talks")
    assert {(p.participant.slug, p.role) for p in meeting.participations.all()} == {
        ("kerry", "guest"),
        ("lavrov", "host"),
    }
    backwards = editor_api.patch(f"{API}/meetings/moscow-talks/", {"end": "2016-03-01"}, format="json")
    assert backwards.status_code == 400 and "end" in backwards.json()["fields"]
    twice = editor_api.post(
        f"{API}/meetings/",
        {**payload, "slug": "again", "participants": [{"participant": "kerry"}, {"participant": "kerry"}]},
        format="json",
    )
    assert twice.status_code == 400 and "participants" in twice.json()["fields"]
    assert editor_api.post(f"{API}/meetings/", payload, format="json").json()["fields"]["slug"]


def test_agreements_with_parties_and_dates_in_order(editor_api):
    make_participant(slug="russia", kind="state")
    payload = {
        "slug": "truce",
        "kind": "truce",
        "status": "agreed",
        "title_ar": "هدنة",
        "announced": "2016-02-22",
        "ended": "2016-01-01",
        "parties": [{"participant": "russia", "role": "guarantor"}],
    }
    refused = editor_api.post(f"{API}/agreements/", payload, format="json")
    assert refused.status_code == 400 and "ended" in refused.json()["fields"]
    accepted = editor_api.post(f"{API}/agreements/", {**payload, "ended": None}, format="json")
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["parties"] == [{"participant": "russia", "role": "guarantor"}]


def test_participants_with_aliases(editor_api, api):
    created = editor_api.post(
        f"{API}/participants/",
        {
            "slug": "lavrov",
            "kind": "person",
            "name_ar": "سيرغي لافروف",
            "country": "RU",
            "aliases": [{"name": "لافروف", "language": "ar"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    make_public(Participant.objects.get(slug="lavrov"))  # the public sees whom a published report names
    assert [p["slug"] for p in api.get(f"{API}/participants/", {"name": "لاڤروف".replace("ڤ", "ف")}).json()["results"]]
    bad = editor_api.post(
        f"{API}/participants/",
        {"slug": "x y", "kind": "robot", "name_ar": "س", "country": "ZZ", "wikidata_id": "22"},
        format="json",
    )
    assert {"slug", "kind", "country"} <= set(bad.json()["fields"])


def test_token_authentication_for_editors_tools(editor, draft):
    client = APIClient()
    obtained = client.post(f"{API}/auth/token/", {"username": "editor", "password": "pw-editor-1"})
    assert obtained.status_code == 200
    assert obtained.json()["token"] == Token.objects.get(user=editor).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {obtained.json()['token']}")
    assert client.get(f"{API}/articles/{draft.pk}/").status_code == 200
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert wrong.get(f"{API}/articles/").status_code == 401


def test_session_authentication_needs_the_csrf_token(editor, draft):
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="editor", password="pw-editor-1")
    assert client.get(f"{API}/articles/{draft.pk}/").status_code == 200
    refused = client.patch(f"{API}/articles/{draft.pk}/", {"title": "بدون رمز"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["message"]


def test_if_match_refuses_a_write_over_someone_elses_change(editor_api, draft):
    url = f"{API}/articles/{draft.pk}/"
    etag = editor_api.get(url)["ETag"]
    Article.objects.filter(pk=draft.pk).update(title="غيّره أحد آخر", published=datetime.date(2016, 1, 1))
    stale = editor_api.patch(url, {"title": "عنواني"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"
    fresh = editor_api.get(url)["ETag"]
    assert editor_api.patch(url, {"title": "عنواني"}, HTTP_IF_MATCH=fresh).status_code == 200


def test_suggestions_are_for_editors(api, editor_api, demo, monkeypatch):
    shape = {
        "mentions": [{"start": 0, "end": 4, "text": demo.body[:4], "participant": "kerry"}],
        "quotes": [{"start": 5, "end": 9, "text": demo.body[5:9], "speaker": None, "kind": "direct"}],
        "dates": [{"start": 1, "end": 3, "text": demo.body[1:3], "date": "2016-03-24", "precision": "day"}],
    }
    monkeypatch.setattr(api_views, "suggest_for_article", lambda article: shape if article == demo else None)
    url = f"{API}/articles/{demo.pk}/suggestions/"
    assert api.get(url).status_code in (401, 403)
    answer = editor_api.get(url)
    assert answer.status_code == 200
    assert answer.json()["mentions"][0]["participant"] == "kerry"
    assert answer.json()["dates"][0]["date"] == "2016-03-24"


def test_suggestions_come_from_the_suggestions_service(editor_api, demo):
    answer = editor_api.get(f"{API}/articles/{demo.pk}/suggestions/")
    assert answer.status_code == 200
    expected = json.loads(json.dumps(suggest_for_article(demo), default=str))
    assert answer.json() == expected
    assert set(answer.json()) == {"mentions", "quotes", "dates"}
    for kind in ("mentions", "quotes", "dates"):
        for item in answer.json()[kind]:
            assert demo.body[item["start"] : item["end"]] == item["text"]

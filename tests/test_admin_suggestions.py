"""The suggestions panel: list the toolkit's suggestions, accept one or all of a kind, dismiss."""

import datetime
import json

import pytest
from django.urls import reverse

from articles.admin import annotator
from articles.models import Article, Mention, Note, Quote
from diplomacy.models import Participant, Place

BODY = "قال لافروف في موسكو إن «الحل سياسي» وأكد كيري ذلك.\nوفي 24 آذار التقى لافروف كيري."


@pytest.fixture
def article(demo):
    """A draft beside the seed, so the seed's people and places exist."""
    from tests.factories import make_article

    return make_article(status=Article.Status.DRAFT, body=BODY)


def span(text, nth=0):
    at = -1
    for _ in range(nth + 1):
        at = BODY.index(text, at + 1)
    return {"start": at, "end": at + len(text), "text": text}


@pytest.fixture
def service(monkeypatch):
    """The toolkit's answer for BODY, in the shape PRODUCT.md gives."""
    answer = {
        "mentions": [
            {**span("لافروف"), "participant": "lavrov"},
            {**span("لافروف", 1), "participant": "lavrov"},
            {**span("موسكو"), "place": "moscow"},
            {**span("كيري"), "participant": "kerry"},
            {**span("كيري", 1), "participant": "nobody-we-know"},
        ],
        "quotes": [{**span("الحل سياسي"), "speaker": "lavrov", "kind": "direct"}],
        "dates": [{**span("24 آذار"), "date": "2016-03-24", "precision": "day"}],
    }
    monkeypatch.setattr(annotator, "suggest_for_article", lambda article, **options: answer)
    return answer


def urls(article):
    return {
        name: reverse(f"admin:articles_article_suggestions{suffix}", args=[article.pk])
        for name, suffix in (("list", ""), ("accept", "_accept"), ("dismiss", "_dismiss"))
    }


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_panel_lists_suggestions_with_names(client, article, editor, service):
    client.force_login(editor)
    data = client.get(urls(article)["list"]).json()
    assert [m["label"] for m in data["mentions"]] == ["سيرغي لافروف", "سيرغي لافروف", "موسكو", "جون كيري"]
    assert data["quotes"][0]["label"] == "سيرغي لافروف"
    assert data["dates"][0]["label"] == "24 مارس/آذار 2016"  # as readers write it, in the page's language
    assert data["dates"][0]["date"] == "2016-03-24"
    assert all(item["key"] for items in data.values() for item in items)


def test_accepting_one_mention_creates_it_at_once(client, article, editor, service):
    client.force_login(editor)
    item = client.get(urls(article)["list"]).json()["mentions"][0]
    response = post_json(client, urls(article)["accept"], {"items": [{**item, "type": "mentions"}]})
    assert response.status_code == 201
    created = response.json()["created"]
    assert [c["type"] for c in created] == ["mention"]
    mention = Mention.objects.get(article=article)
    assert (mention.start, mention.end, mention.participant.slug) == (item["start"], item["end"], "lavrov")
    assert mention.history.first().history_user == editor
    # the derived list of people follows
    assert article.participants.filter(slug="lavrov").exists()
    # and it is no longer suggested
    remaining = client.get(urls(article)["list"]).json()["mentions"]
    assert item["key"] not in {m["key"] for m in remaining}


def test_accept_all_of_a_kind(client, article, editor, service):
    client.force_login(editor)
    response = post_json(client, urls(article)["accept"], {"type": "mentions", "all": True})
    assert response.status_code == 201
    targets = sorted(
        (m.participant.slug if m.participant else m.place.slug)
        for m in Mention.objects.filter(article=article).select_related("participant", "place")
    )
    assert targets == ["kerry", "lavrov", "lavrov", "moscow"]  # the unknown slug is not offered
    assert not Quote.objects.filter(article=article).exists()
    assert client.get(urls(article)["list"]).json()["mentions"] == []
    # accepting all again creates nothing twice
    again = post_json(client, urls(article)["accept"], {"type": "mentions", "all": True})
    assert again.json()["created"] == []
    assert Mention.objects.filter(article=article).count() == 4


def test_accepting_a_quote_and_a_date(client, article, editor, service):
    client.force_login(editor)
    response = post_json(client, urls(article)["accept"], {"type": "quotes", "all": True})
    assert response.status_code == 201, response.json()
    post_json(client, urls(article)["accept"], {"type": "dates", "all": True})
    quote = Quote.objects.get(article=article)
    assert (quote.text, quote.speaker.slug, quote.kind) == ("الحل سياسي", "lavrov", "direct")
    note = Note.objects.get(article=article)
    assert note.text == "24 آذار" and "2016-03-24" in note.note and note.author == editor


def test_a_stale_suggestion_is_refused_not_misplaced(client, article, editor, service):
    """A suggestion whose words are no longer where it says (the body changed since) creates nothing."""
    client.force_login(editor)
    item = {"type": "mentions", "start": 0, "end": 6, "text": "لافروف", "participant": "lavrov"}
    response = post_json(client, urls(article)["accept"], {"items": [item]})
    assert response.status_code == 200
    assert response.json()["created"] == [] and response.json()["refused"]
    assert not Mention.objects.exists()


def test_dismissing_hides_a_suggestion(client, article, editor, service):
    client.force_login(editor)
    item = client.get(urls(article)["list"]).json()["dates"][0]
    assert post_json(client, urls(article)["dismiss"], {"keys": [item["key"]]}).status_code == 200
    assert client.get(urls(article)["list"]).json()["dates"] == []
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [[], "mentions", {"type": "poems", "all": True}, {"type": "mentions"}, {"items": [{"start": 0}]}, {"items": 3}],
)
def test_bad_requests_get_a_message(client, article, editor, service, payload):
    client.force_login(editor)
    response = post_json(client, urls(article)["accept"], payload)
    assert response.status_code == 400
    assert response.json()["error"]
    response = client.post(urls(article)["accept"], "{not json", content_type="application/json")
    assert response.status_code == 400


def test_the_real_service_on_the_seed(client, demo, reviewer):
    """The toolkit's own suggestions for the seed: accepting all mentions makes real mentions."""
    client.force_login(reviewer)
    listed = client.get(urls(demo)["list"]).json()
    assert listed["mentions"], "the seed names Kerry, Lavrov and Putin"
    response = post_json(client, urls(demo)["accept"], {"type": "mentions", "all": True})
    assert response.status_code == 201
    for mention in Mention.objects.filter(article=demo):
        assert demo.body[mention.start : mention.end] == mention.text
    assert Participant.objects.filter(mentions__article=demo, slug="lavrov").exists()
    assert Place.objects.exists()


def test_one_suggestion_a_passage_the_most_specific_with_the_other_at_hand(client, article, editor, service):
    """`موسكو` names the city and, by an alias, Russia: the city is offered, Russia beside it; accept-all takes one."""
    service["mentions"].append({**span("موسكو"), "participant": "russia"})
    client.force_login(editor)
    mentions = client.get(urls(article)["list"]).json()["mentions"]
    moscow = [m for m in mentions if m["text"] == "موسكو"]
    assert len(moscow) == 1 and moscow[0]["place"] == "moscow"
    assert [alt["participant"] for alt in moscow[0]["alternatives"]] == ["russia"]
    post_json(client, urls(article)["accept"], {"type": "mentions", "all": True})
    assert list(Mention.objects.filter(article=article, text="موسكو").values_list("place__slug", "participant")) == [
        ("moscow", None)
    ]


def test_a_date_can_set_the_publication_date_or_a_covered_meetings(client, article, editor, service):
    from tests.factories import make_meeting

    meeting = make_meeting(slug="talks", start=datetime.date(2016, 3, 1))
    article.meetings.add(meeting)
    client.force_login(editor)
    [date] = client.get(urls(article)["list"]).json()["dates"]
    assert [use["value"] for use in date["uses"]] == ["note", "published", "meeting:talks"]
    answer = post_json(client, urls(article)["accept"], {"items": [{**date, "type": "dates", "use": "published"}]})
    assert answer.status_code == 201 and answer.json()["dated"][0]["set"] == "published"
    article.refresh_from_db()
    assert article.published == datetime.date(2016, 3, 24) and not Note.objects.filter(article=article).exists()
    post_json(client, urls(article)["accept"], {"items": [{**date, "type": "dates", "use": "meeting:talks"}]})
    meeting.refresh_from_db()
    assert meeting.start == datetime.date(2016, 3, 24)
    refused = post_json(client, urls(article)["accept"], {"items": [{**date, "type": "dates", "use": "meeting:other"}]})
    assert refused.json()["refused"] and refused.json()["refused"][0]["key"]


def test_role_phrases_the_toolkit_resolves_are_offered_by_default(client, demo, reviewer):
    """`نظيره الأميركي` on the seed's date names John Kerry: the panel offers it without being asked."""
    Quote.objects.filter(article=demo).delete()
    client.force_login(reviewer)
    mentions = client.get(urls(demo)["list"]).json()["mentions"]
    roles = [m for m in mentions if m.get("via") == "role"]
    assert roles, "no role phrase offered"
    assert all(demo.body[m["start"] : m["end"]] == m["text"] for m in roles)


def test_a_speaker_the_records_do_not_know_is_offered_as_a_new_participant_made_in_one_step(
    client, article, editor, service
):
    service["quotes"].append({**span("الحل سياسي"), "speaker": None, "speaker_name": "هيثم العلي", "kind": "direct"})
    service["new_participants"] = [{"start": 0, "end": 3, "text": "هيثم العلي", "title": "المتحدث باسم الوزارة"}]
    client.force_login(editor)
    data = client.get(urls(article)["list"]).json()
    assert [p["text"] for p in data["new_participants"]] == ["هيثم العلي"]
    assert any("هيثم العلي" in q["label"] for q in data["quotes"])
    url = reverse("admin:articles_article_suggestions_participant", args=[article.pk])
    made = post_json(client, url, {"name": "هيثم العلي", "title": "المتحدث باسم الوزارة"})
    assert made.status_code == 201
    person = Participant.objects.get(slug=made.json()["slug"])
    assert person.name_ar == "هيثم العلي" and person.aliases.filter(name="هيثم العلي").exists()
    assert person.history.latest().history_user == editor
    assert client.get(urls(article)["list"]).json()["new_participants"] == []  # known now
    assert post_json(client, url, {"name": ""}).status_code == 400

"""Who may open what in the admin: every admin URL and annotation endpoint, for four kinds of user.

The expected table is written out by hand (not derived from the code under
test): anonymous visitors are sent to the login page; editors see and change
the record but delete only annotations, and may not touch a published report;
reviewers may also delete reports and edit published ones; a superuser may do
everything.
"""

import json

import pytest
from django.urls import reverse

from articles.admin import annotator
from articles.models import Article, Mention, Note, Quote
from diplomacy.models import Agreement, Meeting, Participant, Place, Topic
from tests.factories import make_article

OK, LOGIN, FORBIDDEN = 200, 302, 403

MODELS = {
    "articles.article": Article,
    "articles.quote": Quote,
    "articles.mention": Mention,
    "articles.note": Note,
    "articles.source": None,
    "diplomacy.participant": Participant,
    "diplomacy.place": Place,
    "diplomacy.topic": Topic,
    "diplomacy.meeting": Meeting,
    "diplomacy.agreement": Agreement,
}

# Models whose delete page an editor may open: the `editors` group deletes annotations only, and
# not those of a published report (the quote and the mention below belong to the published seed).
EDITOR_DELETES = {"articles.note"}
REVIEWER_DELETES = {"articles.quote", "articles.mention", "articles.note", "articles.article"}
WITH_HISTORY = set(MODELS) - {"articles.source", "diplomacy.place", "diplomacy.topic"}


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-boss-1")


@pytest.fixture
def objects(demo):
    """One of everything: the published seed with its annotations, and a draft with a note."""
    from articles.models import Source

    draft = make_article(status=Article.Status.DRAFT, body="نص المسودة الأولى.\nفقرة ثانية.")
    note = Note.objects.create(article=draft, start=0, end=2, text="نص", note="ملاحظة")
    quote = demo.quotes.first()
    mention = Mention.objects.create(
        article=demo,
        start=quote.start,
        end=quote.start + 2,
        text=demo.body[quote.start : quote.start + 2],
        participant=Participant.objects.get(slug="kerry"),
    )
    return {
        "articles.article": demo,
        "draft": draft,
        "articles.quote": quote,
        "articles.mention": mention,
        "articles.note": note,
        "articles.source": Source.objects.first(),
        "diplomacy.participant": Participant.objects.get(slug="kerry"),
        "diplomacy.place": Place.objects.first(),
        "diplomacy.topic": Topic.objects.first(),
        "diplomacy.meeting": Meeting.objects.first(),
        "diplomacy.agreement": Agreement.objects.first(),
    }


def page_urls(objects):
    """(name, url, method, data) for every admin page of every registered model, and the indexes."""
    yield "index", reverse("admin:index"), "get", None
    yield "app articles", reverse("admin:app_list", args=["articles"]), "get", None
    yield "app diplomacy", reverse("admin:app_list", args=["diplomacy"]), "get", None
    for label in MODELS:
        app, model = label.split(".")
        obj = objects[label]
        yield f"{label} changelist", reverse(f"admin:{app}_{model}_changelist"), "get", None
        yield f"{label} add", reverse(f"admin:{app}_{model}_add"), "get", None
        yield f"{label} change", reverse(f"admin:{app}_{model}_change", args=[obj.pk]), "get", None
        yield f"{label} history", reverse(f"admin:{app}_{model}_history", args=[obj.pk]), "get", None
        yield f"{label} delete", reverse(f"admin:{app}_{model}_delete", args=[obj.pk]), "get", None
        if label in WITH_HISTORY:
            version = obj.history.first()
            yield (
                f"{label} version",
                reverse(f"admin:{app}_{model}_simple_history", args=[obj.pk, version.history_id]),
                "get",
                None,
            )


def auth_urls(superuser):
    """Django's own user and group admins: for superusers only (the groups grant nothing there)."""
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="editors")
    for label, obj in (("auth.user", superuser), ("auth.group", group)):
        app, model = label.split(".")
        yield f"{label} changelist", reverse(f"admin:{app}_{model}_changelist"), "get", None
        yield f"{label} change", reverse(f"admin:{app}_{model}_change", args=[obj.pk]), "get", None
    yield (
        "autocomplete speaker",
        reverse("admin:autocomplete"),
        "get",
        {"app_label": "articles", "model_name": "quote", "field_name": "speaker", "term": "كيري"},
    )


def endpoint_urls(objects):
    """The annotator's endpoints, on the published seed and on a draft."""
    for which in ("articles.article", "draft"):
        article = objects[which]
        tag = "published" if which == "articles.article" else "draft"
        pk = article.pk
        span = {"quote-start": 3, "quote-end": 9, "quote-text": article.body[3:9], "quote-kind": "direct"}
        yield f"{tag} annotate quote", reverse("admin:articles_article_annotate", args=[pk, "quote"]), "post", span
        note = Note.objects.filter(article=article).first() or Note.objects.create(
            article=article, start=0, end=3, text=article.body[:3], note="ن"
        )
        yield (
            f"{tag} move note",
            reverse("admin:articles_article_annotation_move", args=[pk, "note", note.pk]),
            "post",
            {"start": 1, "end": 4, "text": article.body[1:4]},
        )
        yield (
            f"{tag} delete note",
            reverse("admin:articles_article_annotation_delete", args=[pk, "note", note.pk]),
            "post",
            {},
        )
        yield f"{tag} suggestions", reverse("admin:articles_article_suggestions", args=[pk]), "get", None
        yield (
            f"{tag} accept",
            reverse("admin:articles_article_suggestions_accept", args=[pk]),
            "json",
            {"type": "dates", "all": True},
        )
        yield (
            f"{tag} dismiss",
            reverse("admin:articles_article_suggestions_dismiss", args=[pk]),
            "json",
            {"keys": ["dates:0:3:"]},
        )


def expected(role, name):
    if role == "anonymous":
        return LOGIN
    label, _, page = name.rpartition(" ")
    if name.startswith("auth."):
        return OK if role == "superuser" else FORBIDDEN
    if name.startswith(("published ", "draft ")):
        if role == "editor" and name.startswith("published "):
            return FORBIDDEN
        return {"annotate quote": 201, "accept": 201}.get(name.split(" ", 1)[1], OK)
    if page == "delete":
        allowed = {"editor": EDITOR_DELETES, "reviewer": REVIEWER_DELETES, "superuser": set(MODELS)}[role]
        return OK if label in allowed else FORBIDDEN
    return OK


@pytest.fixture
def fixed_suggestions(monkeypatch):
    """A suggestions service with one date in every body, so `accept` has something to create."""

    def suggestions(article, **options):
        return {"mentions": [], "quotes": [], "dates": [{"start": 0, "end": 3, "text": article.body[:3], "date": None}]}

    monkeypatch.setattr(annotator, "suggest_for_article", suggestions)


def request(client, method, url, data):
    if method == "get":
        return client.get(url, data)
    if method == "json":
        return client.post(url, json.dumps(data), content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize("role", ["anonymous", "editor", "reviewer", "superuser"])
def test_permission_matrix(role, client, objects, editor, reviewer, superuser, fixed_suggestions):
    user = {"anonymous": None, "editor": editor, "reviewer": reviewer, "superuser": superuser}[role]
    if user is not None:
        client.force_login(user)
    answers, wanted = {}, {}
    for name, url, method, data in [*page_urls(objects), *auth_urls(superuser), *endpoint_urls(objects)]:
        response = request(client, method, url, data)
        answers[name] = response.status_code
        wanted[name] = expected(role, name)
        if response.status_code == LOGIN:
            assert reverse("admin:login") in response["Location"], name
    assert answers == wanted


def test_editor_sees_a_published_report_read_only(client, demo, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_change", args=[demo.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    # the annotator is drawn, without the panel that would post annotations
    assert 'id="annotator-panel"' not in response.content.decode()
    response = client.post(reverse("admin:articles_article_change", args=[demo.pk]), {"title": "تغيير"})
    assert response.status_code == 403
    demo.refresh_from_db()
    assert demo.title != "تغيير"


def test_endpoints_refuse_get_where_they_change_things(client, demo, reviewer):
    client.force_login(reviewer)
    url = reverse("admin:articles_article_annotate", args=[demo.pk, "quote"])
    assert client.get(url).status_code == 405
    assert client.post(reverse("admin:articles_article_annotate", args=[demo.pk, "poem"]), {}).status_code == 404
    assert client.post(reverse("admin:articles_article_annotate", args=[999999, "quote"]), {}).status_code == 404


def test_endpoints_are_csrf_protected(demo, reviewer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    url = reverse("admin:articles_article_annotate", args=[demo.pk, "note"])
    response = client.post(url, {"note-start": 0, "note-end": 3, "note-text": demo.body[:3], "note-note": "x"})
    assert response.status_code == 403
    assert not Note.objects.filter(article=demo).exists()

"""Span integrity: checked in the admin's forms, its endpoints and the database; re-anchored on body edits."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.anchoring import new_start, reanchor
from articles.models import Article, Mention, Note, Quote
from tests.factories import make_article, make_participant

BODY = "قال لافروف إن الحل سياسي.\nورد كيري بأن الحل سياسي أيضا."


@pytest.fixture
def draft(db):
    return make_article(status=Article.Status.DRAFT, body=BODY)


def annotate(client, article, what, **fields):
    url = reverse("admin:articles_article_annotate", args=[article.pk, what])
    return client.post(url, {f"{what}-{name}": value for name, value in fields.items()})


# The database -----------------------------------------------------------------


@pytest.mark.parametrize("model", [Quote, Mention, Note])
def test_database_refuses_text_longer_or_shorter_than_its_span(draft, model):
    extra = {"note": "ن"} if model is Note else {}
    if model is Mention:
        extra = {"participant": make_participant()}
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(article=draft, start=4, end=10, text="لافروف إن", **extra)


def test_database_refuses_empty_and_backwards_spans(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(article=draft, start=5, end=5, text="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(article=draft, start=9, end=4, text="")


# The endpoints ---------------------------------------------------------------


def test_endpoint_creates_a_quote_from_offsets(client, draft, editor):
    client.force_login(editor)
    speaker = make_participant(name_ar="سيرغي لافروف")
    start = BODY.index("الحل سياسي")
    response = annotate(
        client, draft, "quote", start=start, end=start + 10, text="الحل سياسي", speaker=speaker.pk, kind="direct"
    )
    assert response.status_code == 201, response.content
    quote = Quote.objects.get(article=draft)
    assert (quote.start, quote.end, quote.text, quote.speaker) == (start, start + 10, "الحل سياسي", speaker)
    assert response.json()["label"].endswith("سيرغي لافروف")
    assert quote.history.first().history_user == editor


def test_endpoint_takes_the_text_from_the_body_when_none_is_sent(client, draft, editor):
    client.force_login(editor)
    response = annotate(client, draft, "note", start=4, end=10, note="اسم")
    assert response.status_code == 201
    assert Note.objects.get().text == "لافروف"
    assert Note.objects.get().author == editor


@pytest.mark.parametrize(
    ("fields", "field_with_error"),
    [
        ({"start": 4, "end": 10, "text": "كيري"}, "text"),  # the browser saw other words
        ({"start": 4, "end": 999, "text": ""}, "end"),  # past the end of the body
        ({"start": 10, "end": 4}, "end"),  # backwards
        ({"start": "four", "end": 10}, "start"),  # not a number
        ({"start": 4}, "end"),  # missing
    ],
)
def test_endpoint_refuses_a_bad_span_with_a_message(client, draft, editor, fields, field_with_error):
    client.force_login(editor)
    response = annotate(client, draft, "note", note="ملاحظة", **fields)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field_with_error in errors, errors
    assert not Note.objects.exists()


def test_endpoint_refuses_a_mention_of_two_things(client, draft, editor):
    from tests.factories import make_place

    client.force_login(editor)
    response = annotate(
        client, draft, "mention", start=4, end=10, participant=make_participant().pk, place=make_place().pk
    )
    assert response.status_code == 400
    assert "__all__" in response.json()["errors"]


def test_endpoint_refuses_the_same_quote_twice(client, draft, editor):
    client.force_login(editor)
    assert annotate(client, draft, "quote", start=4, end=10, kind="direct").status_code == 201
    response = annotate(client, draft, "quote", start=4, end=10, kind="direct")
    assert response.status_code == 400
    assert Quote.objects.count() == 1


def test_move_endpoint_attaches_a_flagged_annotation_to_a_new_passage(client, draft, editor):
    client.force_login(editor)
    note = Note.objects.create(article=draft, start=4, end=10, text="لافروف", note="ن", needs_attention=True)
    url = reverse("admin:articles_article_annotation_move", args=[draft.pk, "note", note.pk])
    start = BODY.index("كيري")
    assert client.post(url, {"start": start, "end": start + 4, "text": "لافروف"}).status_code == 400
    response = client.post(url, {"start": start, "end": start + 4, "text": "كيري"})
    assert response.status_code == 200
    note.refresh_from_db()
    assert (note.text, note.needs_attention) == ("كيري", False)


# The admin's own forms ------------------------------------------------------


def test_quote_admin_form_refuses_text_that_is_not_the_body(client, draft, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:articles_quote_add"),
        {"article": draft.pk, "start": 4, "end": 10, "text": "كيريكي", "kind": "direct"},
    )
    assert response.status_code == 200
    assert "text" in response.context["adminform"].form.errors
    assert not Quote.objects.exists()


def test_quote_admin_form_fills_the_text_from_the_body(client, draft, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:articles_quote_add"), {"article": draft.pk, "start": 4, "end": 10, "text": "", "kind": "direct"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Quote.objects.get().text == "لافروف"


# Re-anchoring -----------------------------------------------------------------


def edit_body(client, user, article, body):
    """Save a new body through the admin's change form, as an editor does."""
    client.force_login(user)
    data = {
        "title": article.title,
        "body": body,
        "status": article.status,
        "language": article.language,
        "quotes-TOTAL_FORMS": 0,
        "quotes-INITIAL_FORMS": 0,
        "mentions-TOTAL_FORMS": 0,
        "mentions-INITIAL_FORMS": 0,
        "notes-TOTAL_FORMS": 0,
        "notes-INITIAL_FORMS": 0,
    }
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def test_editing_the_body_moves_annotations_with_their_text(client, draft, editor):
    first = BODY.index("الحل سياسي")
    second = BODY.index("الحل سياسي", first + 1)
    quote = Quote.objects.create(article=draft, start=second, end=second + 10, text="الحل سياسي")
    note = Note.objects.create(article=draft, start=4, end=10, text="لافروف", note="الاسم")
    new_body = "في موسكو، " + BODY.replace("ورد كيري", "وردّ جون كيري")
    response = edit_body(client, editor, draft, new_body)
    assert response.status_code == 302, response.context["adminform"].form.errors
    quote.refresh_from_db()
    note.refresh_from_db()
    # each stayed on its own words: the second "الحل سياسي", not the first, nearer one
    assert new_body[quote.start : quote.end] == "الحل سياسي"
    assert quote.start == new_body.index("الحل سياسي", new_body.index("الحل سياسي") + 1)
    assert new_body[note.start : note.end] == "لافروف"
    assert not quote.needs_attention and not note.needs_attention


def test_an_annotation_whose_text_is_gone_is_flagged_not_moved(client, draft, editor):
    quote = Quote.objects.create(article=draft, start=4, end=10, text="لافروف")
    response = edit_body(client, editor, draft, BODY.replace("لافروف", "الوزير"))
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.needs_attention
    assert quote.text == "لافروف"
    # the change page lists it apart and does not highlight it
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    data = page.context["annotator"]["data"]["annotations"]
    assert [a["needs_attention"] for a in data] == [True]


def test_restoring_the_text_brings_a_flagged_annotation_back(draft):
    quote = Quote.objects.create(article=draft, start=4, end=10, text="لافروف", needs_attention=True)
    old = draft.body
    draft.body = "كما " + BODY
    draft.save()
    reanchor(draft, old_body=old)
    quote.refresh_from_db()
    assert (quote.start, quote.needs_attention) == (8, False)


def test_two_quotes_of_the_same_words_keep_their_order(draft):
    body = "نعم نعم"
    draft.body = body
    draft.save()
    a = Quote.objects.create(article=draft, start=0, end=3, text="نعم")
    b = Quote.objects.create(article=draft, start=4, end=7, text="نعم")
    draft.body = "قال: نعم نعم"
    draft.save()
    reanchor(draft, old_body=body)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.start, b.start) == (5, 9)


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(alphabet="ابت ", max_size=12),
    word=st.text(alphabet="ابت", min_size=1, max_size=4),
    after=st.text(alphabet="ابت ", max_size=12),
    # inserted letters never found in the old text, so where the edit happened is not ambiguous
    inserted=st.text(alphabet="جح", min_size=1, max_size=6),
    at=st.integers(min_value=0, max_value=40),
)
def test_new_start_never_points_at_other_words(before, word, after, inserted, at):
    old = before + word + after
    start = len(before)
    at = min(at, len(old))
    new = old[:at] + inserted + old[at:]
    found = new_start(old_body=old, new_body=new, start=start, end=start + len(word), text=word)
    if found is None:
        assert word not in new
    else:
        assert new[found : found + len(word)] == word
        # an insertion outside the span leaves it on the very same letters
        if at <= start or at >= start + len(word):
            assert found == start + (len(inserted) if at <= start else 0)


# The database, on PostgreSQL: deferred triggers check the text against the body at commit.

needs_postgresql = pytest.mark.skipif(
    "postgresql" not in __import__("django.db").db.connection.vendor, reason="deferred triggers are PostgreSQL's"
)


def check_now():
    """Run the deferred checks now, as COMMIT would, and every later one at once."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@needs_postgresql
def test_postgresql_refuses_an_annotation_off_its_words(draft):
    Note.objects.create(article=draft, start=4, end=10, text="لافروف", note="ن")
    check_now()  # a true one passes
    with pytest.raises(IntegrityError, match="note_text_matches_body"), transaction.atomic():
        Note.objects.filter(article=draft).update(text="كيريكي")


@needs_postgresql
def test_postgresql_refuses_a_body_edit_that_strands_annotations(draft):
    Quote.objects.create(article=draft, start=4, end=10, text="لافروف")
    check_now()
    with pytest.raises(IntegrityError, match="article_spans_match_body"), transaction.atomic():
        Article.objects.filter(pk=draft.pk).update(body="كما " + BODY)


@needs_postgresql
def test_postgresql_accepts_a_body_edit_once_reanchored_or_flagged(draft):
    Quote.objects.create(article=draft, start=4, end=10, text="لافروف")
    Note.objects.create(article=draft, start=11, end=13, text="إن", note="ن")
    draft.body = "كما " + BODY.replace("إن", "أن")
    draft.save()
    result = reanchor(draft, old_body=BODY)
    check_now()
    assert (result.moved, result.flagged_count) == (1, 1)

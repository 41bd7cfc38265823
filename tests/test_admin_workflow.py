"""The workflow (draft → in review → published → withdrawn) in its functions, the form, bulk actions and history."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles import workflow
from articles.models import Article, Quote
from tests.factories import make_article

Status = Article.Status


@pytest.fixture
def draft(db):
    return make_article(status=Status.DRAFT, body="فقرة أولى.\nفقرة ثانية.")


def change_data(article, **changes):
    data = {
        "title": article.title,
        "body": article.body,
        "status": article.status,
        "language": article.language,
        "quotes-TOTAL_FORMS": 0,
        "quotes-INITIAL_FORMS": 0,
        "mentions-TOTAL_FORMS": 0,
        "mentions-INITIAL_FORMS": 0,
        "notes-TOTAL_FORMS": 0,
        "notes-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


# The functions -----------------------------------------------------------------


def test_editor_submits_and_reviewer_publishes_recording_who_and_when(draft, editor, reviewer):
    workflow.submit_for_review(draft, user=editor)
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by) == (Status.IN_REVIEW, editor)
    assert draft.submitted_at is not None
    workflow.publish(draft, user=reviewer)
    draft.refresh_from_db()
    assert (draft.status, draft.published_by, draft.reviewed_by) == (Status.PUBLISHED, reviewer, reviewer)
    assert draft.published_at >= draft.submitted_at
    assert draft.history.first().history_user == reviewer
    workflow.withdraw(draft, user=reviewer)
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN


def test_editor_cannot_publish_or_withdraw(draft, editor, reviewer):
    workflow.submit_for_review(draft, user=editor)
    with pytest.raises(PermissionDenied):
        workflow.publish(draft, user=editor)
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    workflow.publish(draft, user=reviewer)
    with pytest.raises(PermissionDenied):
        workflow.withdraw(draft, user=editor)
    assert Article.objects.get(pk=draft.pk).status == Status.PUBLISHED


def test_impossible_moves_are_refused(draft, reviewer):
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.withdraw(draft, user=reviewer)  # a draft was never published
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.transition(draft, to="archived", user=reviewer)


def test_the_stored_status_decides_not_a_stale_copy(draft, editor, reviewer):
    stale = Article.objects.get(pk=draft.pk)
    workflow.submit_for_review(draft, user=editor)
    workflow.publish(draft, user=reviewer)
    # `stale` still says draft; submitting it again must not drag a published report back
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.submit_for_review(stale, user=editor)
    assert Article.objects.get(pk=draft.pk).status == Status.PUBLISHED


# The form -------------------------------------------------------------------------


def test_editor_form_offers_only_submitting(client, draft, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    choices = [value for value, _ in response.context["adminform"].form.fields["status"].choices]
    assert choices == [Status.DRAFT, Status.IN_REVIEW]


def test_editor_cannot_publish_through_the_form(client, draft, editor):
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    response = client.post(url, change_data(draft, status=Status.PUBLISHED))
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


def test_editor_submits_through_the_form_and_reviewer_publishes(client, draft, editor, reviewer):
    url = reverse("admin:articles_article_change", args=[draft.pk])
    client.force_login(editor)
    assert client.post(url, change_data(draft, status=Status.IN_REVIEW)).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by, draft.edited_by) == (Status.IN_REVIEW, editor, editor)
    client.force_login(reviewer)
    assert client.post(url, change_data(draft, status=Status.PUBLISHED)).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.published_by) == (Status.PUBLISHED, reviewer)
    # who did what is shown on the page
    page = client.get(url).content.decode()
    assert "editor" in page and "reviewer" in page


# Bulk actions ---------------------------------------------------------------------


def bulk(client, action, articles):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_editor_has_no_publish_action_and_cannot_post_it(client, draft, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"))
    actions = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert "submit_for_review" in actions
    assert "publish" not in actions and "withdraw" not in actions
    workflow.submit_for_review(draft, user=editor)
    bulk(client, "publish", [draft])
    assert Article.objects.get(pk=draft.pk).status == Status.IN_REVIEW


def test_reviewer_publishes_in_bulk_and_wrong_states_are_named(client, editor, reviewer):
    ready = [make_article(status=Status.IN_REVIEW) for _ in range(3)]
    withdrawn = make_article(status=Status.WITHDRAWN, title="تقرير مسحوب")
    client.force_login(reviewer)
    response = bulk(client, "withdraw", [*ready, withdrawn])
    assert Article.objects.filter(status=Status.WITHDRAWN).count() == 1  # only a published one can be withdrawn
    response = bulk(client, "publish", ready)
    assert Article.objects.filter(pk__in=[a.pk for a in ready], status=Status.PUBLISHED).count() == 3
    assert all(a.published_by == reviewer for a in Article.objects.filter(pk__in=[a.pk for a in ready]))
    response = bulk(client, "submit_for_review", [withdrawn])
    assert "تقرير مسحوب" in response.content.decode()


# History ---------------------------------------------------------------------------


def test_history_page_shows_who_changed_which_field(client, draft, editor, reviewer):
    url = reverse("admin:articles_article_change", args=[draft.pk])
    client.force_login(editor)
    client.post(url, change_data(draft, title="عنوان مصحح"))
    client.force_login(reviewer)
    page = client.get(reverse("admin:articles_article_history", args=[draft.pk])).content.decode()
    assert "عنوان مصحح" in page
    assert "editor" in page
    assert "<strong>" in page  # the field-by-field list of changes


def test_reviewer_restores_an_earlier_version_and_the_annotations_follow(client, draft, editor, reviewer):
    url = reverse("admin:articles_article_change", args=[draft.pk])
    good = draft.body
    quote = Quote.objects.create(article=draft, start=0, end=4, text="فقرة")
    before_bad_edit = draft.history.first()
    client.force_login(editor)
    client.post(url, change_data(draft, body="نص خاطئ.\nسطر ثان."))
    quote.refresh_from_db()
    assert quote.needs_attention  # the bad edit lost the quoted words
    client.force_login(reviewer)
    version_url = reverse("admin:articles_article_simple_history", args=[draft.pk, before_bad_edit.history_id])
    response = client.post(version_url, change_data(draft, body=good))
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    quote.refresh_from_db()
    assert draft.body == good
    assert not quote.needs_attention and good[quote.start : quote.end] == "فقرة"


def test_editor_cannot_restore_a_version(client, draft, editor, reviewer):
    workflow.publish(draft, user=reviewer)
    published_version = draft.history.first()
    workflow.withdraw(draft, user=reviewer)
    workflow.transition(draft, to=Status.DRAFT, user=reviewer)
    client.force_login(editor)
    version_url = reverse("admin:articles_article_simple_history", args=[draft.pk, published_version.history_id])
    assert client.get(version_url).context["revert_disabled"] is True
    response = client.post(version_url, change_data(draft, status=Status.PUBLISHED))
    assert response.status_code == 403
    assert Article.objects.get(pk=draft.pk).status == Status.DRAFT


def test_restoring_a_published_version_goes_through_the_workflow(client, draft, reviewer):
    """A reviewer restoring a published version publishes again, stamped now, by the reviewer."""
    workflow.publish(draft, user=reviewer)
    version = draft.history.first()
    workflow.withdraw(draft, user=reviewer)
    client.force_login(reviewer)
    version_url = reverse("admin:articles_article_simple_history", args=[draft.pk, version.history_id])
    assert client.post(version_url, change_data(draft, status=Status.PUBLISHED)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_at > version.published_at

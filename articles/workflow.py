"""The editorial workflow: draft → in review → published → withdrawn.

Every change of `Article.status` goes through one of the functions below, from
the admin (forms and bulk actions alike), the API and commands. Each one
checks who may make the move, records who made it and when in the article's
own fields, and saves inside `transaction.atomic`, so a refused or failed move
leaves the article as it was.

    draft      --submit_for_review-->  in_review   (anyone who may change articles)
    in_review  --return_to_draft---->  draft       (anyone who may change articles)
    in_review  --publish------------>  published   (articles.publish_article)
    published  --withdraw----------->  withdrawn   (articles.publish_article)
    withdrawn  --publish------------>  published   (articles.publish_article)
    withdrawn  --return_to_draft---->  draft       (articles.publish_article)

A reviewer may also publish a draft directly (review and publish in one step).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article

Status = Article.Status
PUBLISH_PERMISSION = "articles.publish_article"
CHANGE_PERMISSION = "articles.change_article"


class TransitionNotAllowed(ValidationError):
    """The article is not in a state this move starts from."""


def can_publish(user):
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


# (from, to) → the permission needed for the move.
TRANSITIONS = {
    (Status.DRAFT, Status.IN_REVIEW): CHANGE_PERMISSION,
    (Status.IN_REVIEW, Status.DRAFT): CHANGE_PERMISSION,
    (Status.DRAFT, Status.PUBLISHED): PUBLISH_PERMISSION,
    (Status.IN_REVIEW, Status.PUBLISHED): PUBLISH_PERMISSION,
    (Status.PUBLISHED, Status.WITHDRAWN): PUBLISH_PERMISSION,
    (Status.WITHDRAWN, Status.PUBLISHED): PUBLISH_PERMISSION,
    (Status.WITHDRAWN, Status.DRAFT): PUBLISH_PERMISSION,
}


def allowed_targets(article_status, user):
    """The statuses `user` may move an article from `article_status` to (the current one included)."""
    targets = [article_status]
    for (source, target), permission in TRANSITIONS.items():
        if source == article_status and user is not None and user.has_perm(permission):
            targets.append(target)
    return targets


def check_transition(*, current, target, user):
    """Raise unless `user` may move an article from `current` to `target`."""
    permission = TRANSITIONS.get((current, target))
    if permission is None:
        raise TransitionNotAllowed(
            _("A report cannot go from “%(current)s” to “%(target)s”.")
            % {"current": Status(current).label, "target": Status(target).label},
            code="transition",
        )
    if user is None or not user.has_perm(permission):
        if permission == PUBLISH_PERMISSION:
            raise PermissionDenied(_("Only reviewers may publish, withdraw or reopen a report."))
        raise PermissionDenied(_("You may not change this report."))


def _move(article, *, target, user, stamp):
    """Lock the row, check the move from its stored status, apply `stamp`, save."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        check_transition(current=locked.status, target=target, user=user)
        now = timezone.now()
        fields = {"status": target, **stamp(user, now)}
        for name, value in fields.items():
            setattr(locked, name, value)
            setattr(article, name, value)
        locked._history_user = user
        locked.save(update_fields=[*fields, "updated_at"])
        article.updated_at = locked.updated_at
    return article


def submit_for_review(article, *, user):
    """An editor sends a draft to the reviewers."""
    return _move(
        article,
        target=Status.IN_REVIEW,
        user=user,
        stamp=lambda u, now: {"submitted_by": u, "submitted_at": now},
    )


def return_to_draft(article, *, user):
    """Back to draft: a reviewer sends work back, or an editor takes back what they submitted."""
    return _move(
        article,
        target=Status.DRAFT,
        user=user,
        stamp=lambda u, now: {"reviewed_by": u, "reviewed_at": now} if can_publish(u) else {},
    )


def publish(article, *, user):
    """A reviewer publishes (from review, from draft, or again after a withdrawal)."""
    return _move(
        article,
        target=Status.PUBLISHED,
        user=user,
        stamp=lambda u, now: {"reviewed_by": u, "reviewed_at": now, "published_by": u, "published_at": now},
    )


def withdraw(article, *, user):
    """A reviewer takes a published report off the public site (it stays in the archive)."""
    return _move(
        article,
        target=Status.WITHDRAWN,
        user=user,
        stamp=lambda u, now: {"reviewed_by": u, "reviewed_at": now},
    )


_BY_TARGET = {
    Status.IN_REVIEW: submit_for_review,
    Status.DRAFT: return_to_draft,
    Status.PUBLISHED: publish,
    Status.WITHDRAWN: withdraw,
}


def transition(article, *, to, user):
    """Move `article` to status `to` through the function for that move."""
    try:
        move = _BY_TARGET[Status(to)]
    except ValueError:
        raise TransitionNotAllowed(_("Unknown status “%(status)s”.") % {"status": to}, code="status") from None
    return move(article, user=user)

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

Who may change a report's text, metadata and annotations follows from its
status too (`may_edit`): editors work on drafts and reports in review; what
the public reads (published) or has read (withdrawn) only reviewers change.

Management commands act as `COMMAND`: the operator at the server's shell,
who may make every move in the table. Their moves are recorded with no user
(`published_by` stays empty) unless the command is given `--user`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.changes import record_change
from articles.models import Article

Status = Article.Status
PUBLISH_PERMISSION = "articles.publish_article"
CHANGE_PERMISSION = "articles.change_article"


class TransitionNotAllowed(ValidationError):
    """The article is not in a state this move starts from."""


class _Command:
    """The operator running a management command: trusted with every move, recorded as nobody."""

    is_active = True
    is_authenticated = True
    pk = None

    def has_perm(self, permission):
        return True

    def __str__(self):
        return "command"


COMMAND = _Command()


def recorded(user):
    """The user to record in a stamp or a history row (a command is recorded as nobody)."""
    return None if user is None or user is COMMAND else user


def can_publish(user):
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def may_edit(user, article):
    """Editors change drafts and reports in review; a published or withdrawn report only reviewers change.

    Otherwise an editor could alter what the public reads (or restore an old
    published version, or annotate it) without a review. `article=None` is a new report.
    """
    if article is None or article.status in (Status.DRAFT, Status.IN_REVIEW):
        return True
    return can_publish(user)


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


def _stamp(target, user, now):
    """What a move to `target` records in the report's own fields, besides the status."""
    if target == Status.IN_REVIEW:
        return {"submitted_by": user, "submitted_at": now}
    if target == Status.PUBLISHED:
        return {"reviewed_by": user, "reviewed_at": now, "published_by": user, "published_at": now}
    if target == Status.WITHDRAWN:
        return {"reviewed_by": user, "reviewed_at": now}
    # back to draft: a reviewer sending work back is recorded as its reviewer; an editor taking back is not
    return {"reviewed_by": user, "reviewed_at": now} if user is not None and can_publish(user) else {}


def place_new(article, *, status, user):
    """A report about to be created in `status`: checked and stamped as a move from draft, not yet saved.

    Creating a report in review or published is the move from draft to it, made at once (one row,
    one history entry), so it needs the same permission and records the same stamps.
    """
    status = _known(status)
    if status != Status.DRAFT:
        check_transition(current=Status.DRAFT, target=status, user=user)
        for name, value in _stamp(status, recorded(user), timezone.now()).items():
            setattr(article, name, value)
    article.status = status
    return article


def _known(status):
    try:
        return Status(status)
    except ValueError:
        raise TransitionNotAllowed(_("Unknown status “%(status)s”.") % {"status": status}, code="status") from None


def transition(article, *, to, user):
    """Move `article` to status `to`: lock the row, check the move from its stored status, stamp, save.

    Inside a transaction (an action's) it is a savepoint, so a refused move leaves the caller's
    transaction usable.
    """
    target = _known(to)
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        check_transition(current=locked.status, target=target, user=user)
        fields = {"status": target, **_stamp(target, recorded(user), timezone.now())}
        for name, value in fields.items():
            setattr(locked, name, value)
            setattr(article, name, value)
        locked.version += 1
        locked._history_user = recorded(user)
        locked.save(update_fields=[*fields, "version", "updated_at"])
        article.updated_at, article.version = locked.updated_at, locked.version
        if target in (Status.PUBLISHED, Status.WITHDRAWN):  # what a mirror of the public archive must apply
            record_change(locked, kind=target, user=recorded(user), what={})
    return article


def submit_for_review(article, *, user):
    """An editor sends a draft to the reviewers."""
    return transition(article, to=Status.IN_REVIEW, user=user)


def return_to_draft(article, *, user):
    """Back to draft: a reviewer sends work back, or an editor takes back what they submitted."""
    return transition(article, to=Status.DRAFT, user=user)


def publish(article, *, user):
    """A reviewer publishes (from review, from draft, or again after a withdrawal)."""
    return transition(article, to=Status.PUBLISHED, user=user)


def withdraw(article, *, user):
    """A reviewer takes a published report off the public site (it stays in the archive)."""
    return transition(article, to=Status.WITHDRAWN, user=user)

"""The public log of changes, for clients that keep a copy of the archive.

`record_change` is called by the actions (articles/actions.py) once per action that a mirror
must apply: a report published, corrected (its text or its annotations) or withdrawn. The API
serves the log at /api/v1/changes/?since=… and the public site as an Atom feed at /changes/feed/.

Once the transaction that logged it has committed, each entry is also announced (`public_change`),
so what is drawn from the public archive (the charts, a report's PDF) is set again ahead of
readers (articles/charts/tasks.py). A report that arrives already published (an import) is
announced as `new`: an import's own end draws the charts once for all its reports.
"""

import logging
from functools import partial

from django.db import transaction
from django.dispatch import Signal

from articles.models import Article, Change

# Sent after the commit of a change the public sees, with `article_id`, `kind` (a `Change.Kind`)
# `new` (the report was created published, by an import or a form, rather than moved or corrected)
# and `user`, who made the change (None for a command).
public_change = Signal()
log = logging.getLogger("articles.changes")


def record_change(article, *, kind, user, what, new=False):
    """Log `kind` ("published", "corrected" or "withdrawn") for `article`, or nothing if it is not public.

    `what` names what changed, without text, e.g. ``{"fields": ["body"], "quotes": {"moved": [3, 4]}}``
    or ``{"annotations": {"created": ["quote:12"], "deleted": ["mention:7"]}}``. A correction
    is logged only while the report is published (editors' work on a draft is not a public event).
    Returns the entry, or None.
    """
    [entry] = record_changes([article], kind=kind, user=user, what=what, new=new) or [None]
    return entry


def record_changes(articles, *, kind, user, what, new=False):
    """`record_change` for several reports at once (an import's): one INSERT, announced together after the
    commit. Returns the entries written."""
    kind = Change.Kind(kind)
    if kind == Change.Kind.CORRECTED:
        articles = [article for article in articles if article.status == Article.Status.PUBLISHED]
    if not articles:
        return []
    entries = Change.objects.bulk_create(
        [Change(article=article, kind=kind, user=user, what=what or {}) for article in articles]
    )
    ids = [article.pk for article in articles]
    transaction.on_commit(partial(_announce_each, ids, kind=kind, new=new, user=user))
    return entries


def _announce_each(article_ids, **change):
    for article_id in article_ids:
        announce(article_id=article_id, **change)


def announce(**change):
    """Tell the receivers of `public_change`; one that fails is logged: the change itself has committed."""
    for receiver, error in public_change.send_robust(sender=Change, **change):
        if isinstance(error, Exception):
            log.error("After %s, %s failed: %r", change, receiver, error, exc_info=error)

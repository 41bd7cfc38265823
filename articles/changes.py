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
    kind = Change.Kind(kind)
    if kind == Change.Kind.CORRECTED and article.status != Article.Status.PUBLISHED:
        return None
    entry = Change.objects.create(article=article, kind=kind, user=user, what=what or {})
    transaction.on_commit(partial(announce, article_id=article.pk, kind=kind, new=new, user=user))
    return entry


def announce(**change):
    """Tell the receivers of `public_change`; one that fails is logged: the change itself has committed."""
    for receiver, error in public_change.send_robust(sender=Change, **change):
        if isinstance(error, Exception):
            log.error("After %s, %s failed: %r", change, receiver, error, exc_info=error)

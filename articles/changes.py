"""The public log of changes, for clients that keep a copy of the archive.

`record_change` is called by the actions (articles/actions.py) once per action that a mirror
must apply: a report published, corrected (its text or its annotations) or withdrawn. The API
serves the log at /api/v1/changes/?since=… and the public site as an Atom feed at /changes/feed/.
"""

from articles.models import Article, Change


def record_change(article, *, kind, user, what):
    """Log `kind` ("published", "corrected" or "withdrawn") for `article`, or nothing if it is not public.

    `what` names what changed, without text, e.g. ``{"fields": ["body"], "quotes": {"moved": [3, 4]}}``
    or ``{"annotations": {"created": ["quote:12"], "deleted": ["mention:7"]}}``. A correction
    is logged only while the report is published (editors' work on a draft is not a public event).
    Returns the entry, or None.
    """
    kind = Change.Kind(kind)
    if kind == Change.Kind.CORRECTED and article.status != Article.Status.PUBLISHED:
        return None
    return Change.objects.create(article=article, kind=kind, user=user, what=what or {})

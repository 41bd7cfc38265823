"""Keep annotations on their words when an editor corrects a report's body.

Each quote, mention and note keeps the text it covered. After the body
changes, each one is looked for again: at the place it would have moved to
(the old start, shifted by what was inserted or removed before it), and
failing that at the occurrence of its text nearest that place. If its text is
no longer in the body at all, the annotation keeps its old offsets and text
but is flagged `needs_attention`; the editor's page lists it apart and never
highlights it, so it cannot silently point at other words.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from articles.models import Evidence, Mention, Note, Quote

ANNOTATION_MODELS = (Quote, Mention, Note, Evidence)


@dataclass
class Reanchored:
    """What re-anchoring did: how many annotations stayed, moved, or were flagged."""

    unchanged: int = 0
    moved: int = 0
    flagged: list = field(default_factory=list)

    @property
    def flagged_count(self):
        return len(self.flagged)


def _edit_window(old, new):
    """The common prefix length and the common suffix length of two strings (not overlapping)."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return prefix, suffix


def _occurrences(body, text):
    position = body.find(text)
    while position != -1:
        yield position
        position = body.find(text, position + 1)


def new_start(*, old_body, new_body, start, end, text, window=None):
    """Where the span `old_body[start:end]` (covering `text`) lies in `new_body`, or None if its text is gone.

    A span wholly before the edited region stays where it is, one wholly after
    it moves by the change in length; otherwise (or if that place no longer
    holds the text) the occurrence of `text` nearest the expected place wins,
    the earlier one on a tie.
    """
    if not text:
        return None
    prefix, suffix = window if window is not None else _edit_window(old_body, new_body)
    shift = len(new_body) - len(old_body)
    if end <= prefix:
        expected = start
    elif start >= len(old_body) - suffix:
        expected = start + shift
    else:
        expected = start if start < prefix else start + shift
    if new_body[expected : expected + len(text)] == text:
        return expected
    best = None
    for position in _occurrences(new_body, text):
        if best is None or abs(position - expected) < abs(best - expected):
            best = position
        elif position > expected:
            break
    return best


def reanchor(article, *, old_body, user=None):
    """Re-find every annotation of `article` in its (already saved) new body; flag those whose text is gone.

    Call it inside the transaction that saved the new body; `user` is recorded
    in the annotations' history as who moved them. Returns a `Reanchored`
    summary. Annotations already flagged are tried again, so restoring the
    text they covered brings them back.
    """
    new_body = article.body
    result = Reanchored()
    if old_body == new_body:
        return result
    window = _edit_window(old_body, new_body)
    now = timezone.now()
    with transaction.atomic():
        for model in ANNOTATION_MODELS:
            changed = []
            # Quotes may not share a span (quote_span_unique): remember the places taken.
            taken = set()
            for annotation in model.objects.filter(article=article).order_by("start", "pk"):
                start = new_start(
                    old_body=old_body,
                    new_body=new_body,
                    start=annotation.start,
                    end=annotation.end,
                    text=annotation.text,
                    window=window,
                )
                key = (start, start + len(annotation.text)) if start is not None else None
                if start is None or (model is Quote and key in taken):
                    result.flagged.append(annotation)
                    if not annotation.needs_attention:
                        annotation.needs_attention = True
                        changed.append((annotation, annotation.start))
                    continue
                taken.add(key)
                if (annotation.start, annotation.end, annotation.needs_attention) == (*key, False):
                    result.unchanged += 1
                    continue
                old_start = annotation.start
                annotation.start, annotation.end = key
                annotation.needs_attention = False
                changed.append((annotation, old_start))
                result.moved += 1
            _save_moves(model, changed, user=user, now=now)
    return result


def _save_moves(model, changed, *, user, now):
    """Write the new places in one statement a batch, each with its history row.

    One UPDATE cannot order its rows, so if two quotes swap places the unique
    span constraint may object; then the rows are written one by one, those
    moving left from the left and those moving right from the right, so that
    none lands where another still is.
    """
    if not changed:
        return
    objs = [annotation for annotation, _ in changed]
    for annotation in objs:
        annotation.updated_at = now
    fields = ["start", "end", "needs_attention", "updated_at"]
    try:
        with transaction.atomic():
            bulk_update_with_history(objs, model, fields, batch_size=500, default_user=user, default_date=now)
        return
    except IntegrityError:
        pass
    left = sorted((c for c in changed if c[0].start < c[1]), key=lambda c: c[1])
    right = sorted((c for c in changed if c[0].start >= c[1]), key=lambda c: -c[1])
    for annotation, _ in left + right:
        annotation._history_user = user
        annotation.save(update_fields=fields)


def flagged_annotations(article):
    """The annotations of `article` waiting for an editor because their text is gone."""
    return [
        annotation
        for model in ANNOTATION_MODELS
        for annotation in model.objects.filter(article=article, needs_attention=True)
    ]

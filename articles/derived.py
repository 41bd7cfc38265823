"""Derived data: what the archive computes from the record and nobody edits.

- `Article.participants`: everyone a report involves (mentioned, quoted,
  addressed, or taking part in a meeting it covers), so filters and facets by
  person or country are one join;
- the report's search index entry (`articles/search/index.py`): its words, its
  quote translations and the names of its participants;
- `Quote.published`, the date of the report a quote is printed in, so the quote ledger reads a
  speaker's (an addressee's, a meeting's) newest quotes from one index;
- `Article.copy_group`: the published reports that carry the same text (copies of one wire story,
  `articles.duplicates.regroup`), so lists can show each text once;
- `ParticipantAlias.normalized`, the alias as the Arabic toolkit folds it;
- the archive's data generation (`DataGeneration`): one number raised by every
  write, once a batch, under which whole-archive counts are cached
  (`articles/filters.py`, facet counts), so all processes drop them together.

Every write marks the reports it touched (the signals below follow every
write, the actions' and any other). Inside `batch()` the marks are collected,
and the derived data of each touched report is refreshed once, when the
outermost batch ends, still inside the transaction that made the change: the
actions (`articles/actions.py`) run in one; a long import refreshes its
reports a batch at a time (`flush`). Outside a batch, a write refreshes its
report at once. So a change never leaves stale derived data behind, and an
import of a whole file refreshes each report once, not once a quote.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager

from django.core.cache import cache
from django.db.models import F, OuterRef, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from articles.arabic import normalize
from articles.duplicates import regroup
from articles.models import Article, DataGeneration, Mention, Quote, TextSignature, sees_unpublished
from articles.search import index as search_index
from diplomacy.models import Participant, ParticipantAlias, Participation

_state = threading.local()


KINDS = ("participants", "index", "dates", "copies", "created")


def _pending():
    if not hasattr(_state, "depth"):
        _state.depth = 0
        _clear(_state)
    return _state


def _clear(state):
    marks = {kind: getattr(state, kind, set()) for kind in KINDS}
    for kind in KINDS:
        setattr(state, kind, set())
    return marks


@contextmanager
def batch():
    """Collect the reports touched inside; refresh their derived data once, when the outermost batch ends.

    A batch is opened to write (the actions run in one), so its end also raises the data generation,
    once, even when the writes sent no signal (`bulk_create`). If the block raises, the marks are
    dropped with it (its transaction rolls back the writes too).
    """
    state = _pending()
    state.depth += 1
    try:
        yield
    except BaseException:
        if state.depth == 1:
            _clear(state)
            state.indexer = None
        raise
    finally:
        state.depth -= 1
    if state.depth == 0:
        indexer, state.indexer = getattr(state, "indexer", None), None
        refresh(**_clear(state), indexer=indexer)
        bump_generation()


def flush():
    """Refresh the derived data of the reports marked so far, now, inside the open batch: a long import
    (`actions.import_reports`) calls it after each batch of reports it writes, so the end of its action
    never holds every report's text at once. Each report is still refreshed once; the data generation is
    still raised once, when the outermost batch ends. Outside a batch there is nothing pending."""
    state = _pending()
    if state.depth:
        if getattr(state, "indexer", None) is None:
            state.indexer = search_index.Indexer()  # kept for the batch: the words' stripped forms are worked out once
        refresh(**_clear(state), indexer=state.indexer)


def touched(article_ids, *, participants=True, index=True, dates=None, copies=False, created=False):
    """Mark reports whose derived data must follow a change.

    `participants`: their annotations changed (so also their quotes' dates, unless `dates` says);
    `index`: their search entry (always when `participants`); `dates`: their publication date changed;
    `copies`: their text or status changed, so which reports are copies of one another may have;
    `created`: the reports were created by this change, so they have no derived rows yet to compare with.
    """
    ids = {pk for pk in article_ids if pk is not None}
    if not ids:
        return
    dates = participants if dates is None else dates
    marks = {
        "participants": participants,
        "index": index or participants,
        "dates": dates,
        "copies": copies,
        "created": created,
    }
    state = _pending()
    if state.depth:
        for kind, wanted in marks.items():
            if wanted:
                getattr(state, kind).update(ids)
    else:
        refresh(**{kind: ids if wanted else () for kind, wanted in marks.items()})


def refresh(*, participants=(), index=(), dates=(), copies=(), created=(), indexer=None):
    """Recompute `Article.participants` for some reports, then their index entries (and those of `index`,
    with `indexer` when given), their quotes' `published`, and the groups of copies (`copy_group`) they are in."""
    participants, index = set(participants), set(index) | set(participants)
    if participants:
        refresh_participants(participants, created=created)
    if index:
        search_index.reindex(sorted(index), indexer)
    if dates:
        refresh_quote_dates(dates)
    if copies:
        regroup(copies)


def refresh_quote_dates(article_ids):
    """Copy each report's publication date onto its quotes (`Quote.published`, the ledger's sort key): one UPDATE."""
    report_date = Article.objects.filter(pk=OuterRef("article_id")).values("published")[:1]
    Quote.objects.filter(article_id__in=list(article_ids)).update(published=Subquery(report_date))


def involved(article_ids):
    """{article id: the participant ids it involves}, from its mentions, quotes and covered meetings (1 query)."""
    found = defaultdict(set)
    pairs = [
        Mention.objects.filter(article_id__in=article_ids, participant__isnull=False).values_list(
            "article_id", "participant_id"
        ),
        Quote.objects.filter(article_id__in=article_ids, speaker__isnull=False).values_list("article_id", "speaker_id"),
        Quote.objects.filter(article_id__in=article_ids, addressee__isnull=False).values_list(
            "article_id", "addressee_id"
        ),
        Quote.co_speakers.through.objects.filter(quote__article_id__in=article_ids).values_list(
            "quote__article_id", "participant_id"
        ),
        Participation.objects.filter(meeting__articles__in=article_ids).values_list(
            "meeting__articles", "participant_id"
        ),
    ]
    first, *rest = (queryset.order_by() for queryset in pairs)
    for article_id, participant_id in first.union(*rest, all=True):
        found[article_id].add(participant_id)
    return found


def refresh_participants(article_ids, *, created=()):
    """Bring `Article.participants` of these reports up to date: read once, write only the difference.

    Reports in `created` are new in this transaction: they have no rows to read yet.
    """
    article_ids = list(article_ids)
    wanted = involved(article_ids)
    through = Article.participants.through
    current = defaultdict(set)
    existing = [pk for pk in article_ids if pk not in created]
    rows = through.objects.filter(article_id__in=existing).values_list("article_id", "participant_id")
    for article_id, participant_id in rows if existing else ():
        current[article_id].add(participant_id)
    stale = [(a, p) for a in article_ids for p in current[a] - wanted[a]]
    missing = [through(article_id=a, participant_id=p) for a in article_ids for p in wanted[a] - current[a]]
    if stale:
        for article_id in {a for a, _ in stale}:
            gone = [p for a, p in stale if a == article_id]
            through.objects.filter(article_id=article_id, participant_id__in=gone).delete()
    if missing:
        through.objects.bulk_create(missing)


def generation():
    """The archive's data generation as this transaction sees it (one query)."""
    return DataGeneration.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def bump_generation():
    """Raise the data generation (inside the caller's transaction: readers see it with the writes).

    Called at the end of every batch, after any write outside one (the signals below), and by the
    writers that bypass the ORM's signals outside an action (`generate_corpus`, `import_archive`).
    """
    if not DataGeneration.objects.filter(pk=1).update(number=F("number") + 1):
        DataGeneration.objects.get_or_create(pk=1, defaults={"number": 1})


KEPT_SECONDS = 24 * 3600


def kept(key, compute, *, user):
    """`compute()`, kept in the shared cache under `key` until the next write (the data generation).

    Only for the public's view: anyone who may see unpublished reports (`sees_unpublished`) gets
    `compute()` afresh, never stored, so an editor's preview of drafts cannot reach a reader, nor a
    reader's cached answer an editor. `key` must name everything else the answer depends on (filters,
    language). The generation is read in the reader's transaction, so a value computed before a write
    commits is kept under the generation before it, which nobody asks for again.
    """
    if sees_unpublished(user):
        return compute()
    full = f"kept:1:{generation()}:{key}"
    found = cache.get(full)
    if found is None:
        found = compute()
        cache.set(full, found, KEPT_SECONDS)
    return found


WATCHED_APPS = {"articles", "diplomacy"}


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def archive_written(sender, raw=False, **kwargs):
    """Any row of the archive written: raise the generation now, or once when the batch ends."""
    if raw or sender is DataGeneration or sender._meta.app_label not in WATCHED_APPS:
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: only once the rows are written
    if not _pending().depth:
        bump_generation()


# -- What marks a report --------------------------------------------------------------------------


@receiver(post_save, sender=Quote)
@receiver(post_delete, sender=Quote)
@receiver(post_save, sender=Mention)
@receiver(post_delete, sender=Mention)
def annotation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touched([instance.article_id])


@receiver(m2m_changed, sender=Quote.co_speakers.through)
def quote_co_speakers_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and not reverse:
        touched([instance.article_id])


@receiver(m2m_changed, sender=Article.meetings.through)
def article_meetings_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    # meeting.articles.add(...) is the reverse side: pk_set names the articles (a clear names none)
    if reverse:
        touched(pk_set or Article.objects.filter(meetings=instance).values_list("pk", flat=True))
    else:
        touched([instance.pk])


@receiver(post_save, sender=Participation)
@receiver(post_delete, sender=Participation)
def participation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touched(Article.objects.filter(meetings__pk=instance.meeting_id).values_list("pk", flat=True))


@receiver(post_save, sender=Article)
def article_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    fields = None if update_fields is None else set(update_fields)
    text = fields is None or bool({"title", "body"} & fields)
    dates = fields is None or "published" in fields
    copies = fields is None or "status" in fields  # a text's copies are followed by its signature (below)
    if text or dates or copies:
        touched([instance.pk], participants=False, index=text, dates=dates, copies=copies)


@receiver(post_save, sender=TextSignature)
@receiver(post_delete, sender=TextSignature)
def text_signature_changed(sender, instance, raw=False, **kwargs):
    """A report's text was indexed again (`articles.duplicates.index_text`): its copies may have changed."""
    if not raw:
        touched([instance.article_id], participants=False, index=False, copies=True)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    search_index.remove([instance.pk])
    if instance.copy_group is not None:  # the copies left behind are grouped again without it
        touched(
            Article.objects.filter(copy_group=instance.copy_group).values_list("pk", flat=True),
            participants=False,
            index=False,
            copies=True,
        )


def alias_form(name):
    """An alias as matching reads it: normalised, lower-cased (`ParticipantAlias.normalized`)."""
    return normalize(name.strip()).casefold()


@receiver(pre_save, sender=ParticipantAlias)
def alias_normalised(sender, instance, raw=False, **kwargs):
    instance.normalized = alias_form(instance.name)


@receiver(post_save, sender=ParticipantAlias)
@receiver(post_delete, sender=ParticipantAlias)
@receiver(post_save, sender=Participant)
def participant_names_changed(sender, instance, raw=False, created=False, **kwargs):
    """A new or changed name is indexed for every report that involves the participant.

    Reports that print the name without being annotated need no update to be
    found (a query for a name also looks for the participant's other names);
    `rebuild_search_index` also refreshes which words stemming protects.
    """
    _pending().indexer = None  # the names stemming leaves whole may have changed
    if raw or (sender is Participant and created):
        return  # a participant just created is in no report yet
    participant_id = instance.pk if sender is Participant else instance.participant_id
    touched(Article.objects.filter(participants__pk=participant_id).values_list("pk", flat=True), participants=False)

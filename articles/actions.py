"""Every change to the record, one function each.

The admin, the annotator's endpoints, the API and the commands (`import_articles`,
`import_records`, `load_demo`) all call these; nothing else writes a report's
status, text or annotations. Each function:

- takes keyword-only arguments, with `user` the person acting (a `User`, or
  `workflow.COMMAND` for a management command);
- checks that `user` may make the change (`workflow.may_edit`: editors work on
  drafts and reports in review, reviewers on everything; status moves through
  `workflow.py`, the one authority on moves);
- validates with the models' own rules (`full_clean`, and the database's
  constraints behind it) and raises `ValidationError` naming the field;
- runs in one transaction and one `derived.batch()`, so participants and the
  search entry of each report it touched are refreshed once, at its end;
- locks the report's row first, so two editors (or an edit and an annotation)
  never interleave: the second waits, then sees what the first wrote.

Only what changed is written: saving a report without a change to its text
moves no annotation, writes no history row and keeps its content hash.
"""

import functools
import threading
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from articles import anchoring, derived, workflow
from articles.changes import record_change, record_changes
from articles.duplicates import index_texts, near_duplicates_of, stored_signature
from articles.importing import BadImport, FileResult, parse_bytes, read_file
from articles.models import (
    REPORT_HISTORY,
    Article,
    Evidence,
    Mention,
    Note,
    Quote,
    Source,
    content_hash,
    normalize_newlines,
)
from articles.records import RecordsError, read_records
from articles.slugs import readable_slug, unique_slug
from diplomacy.models import (
    Agreement,
    AgreementParty,
    Meeting,
    Office,
    Participant,
    ParticipantAlias,
    Participation,
    Place,
    Topic,
)

ARTICLE_RELATIONS = ("meetings", "agreements", "topics")
# Fields an edit may change; the workflow's stamps, the hash and the version are the actions' own.
ARTICLE_FIELDS = (
    "title",
    "body",
    "source",
    "language",
    "published",
    "approximate_date",
    "approximate_precision",
    "approximate_basis",
    "url",
    "byline",
    "imported_by",
)
ANNOTATIONS = {"quote": Quote, "mention": Mention, "note": Note, "evidence": Evidence}
REVIEWERS_ONLY_ANNOTATE = gettext_lazy(
    "The annotations of a published or withdrawn report can only be changed by a reviewer."
)


class StaleEdit(ValidationError):
    """The report changed since the editor read it (their version is older than the stored one)."""

    def __init__(self, article, *, read, changed):
        self.article = article
        self.changed = changed  # {field: current value}, what the other edits wrote
        super().__init__(
            _(
                "Someone else saved this report after you opened it (you read version %(read)s; it is now at "
                "version %(now)s). Your changes were not saved: reload the page to see theirs, then make yours again."
            )
            % {"read": read, "now": article.version},
            code="stale",
        )


class SpanConflict(Exception):
    """An annotation could not be written because the body changed under it at the same moment; retry."""


def action(function):
    """Run `function` in one transaction and one derived-data batch.

    An action called by another action joins its transaction without a
    savepoint of its own: actions are all or nothing, so an error inside one
    fails the action that called it too (no caller inside an action catches
    and carries on).
    """

    @functools.wraps(function)
    def run(*args, **kwargs):
        depth = getattr(_running, "depth", 0)
        _running.depth = depth + 1
        try:
            with transaction.atomic(savepoint=depth == 0), derived.batch():
                return function(*args, **kwargs)
        finally:
            _running.depth = depth

    return run


_running = threading.local()  # how deep in actions this thread is


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


def _locked(article):
    """The stored row of `article`, locked until the transaction ends."""
    return Article.objects.select_for_update().get(pk=article.pk)


def _set_relations(article, relations):
    """Set the meetings, agreements and topics a report covers; only differences are written."""
    for name, values in (relations or {}).items():
        if values is None:
            continue
        manager = getattr(article, name)
        wanted = {obj.pk for obj in values}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)


# -- Reports --------------------------------------------------------------------------------------


@dataclass
class Edited:
    """What an edit did: the fields it wrote and how the annotations followed a new body."""

    article: Article
    changed: list = field(default_factory=list)
    reanchored: anchoring.Reanchored = field(default_factory=anchoring.Reanchored)


def _clean_text(values):
    """Line ends normalised once, at the way in, before anything is compared or stored."""
    for name in ("title", "body"):
        if isinstance(values.get(name), str):
            values[name] = normalize_newlines(values[name])
    if isinstance(values.get("title"), str):
        values["title"] = values["title"].strip()
    return values


def refuse_duplicate(article):
    """Refuse a report whose title and body another report already has (its content hash is unique)."""
    refuse_duplicates([article])


def refuse_duplicates(articles):
    """`refuse_duplicate` for several reports, in one query (and two of them with one text refused too).
    The error carries `position`, the index in `articles` of the report refused."""
    digests = [content_hash(article.title, article.body) for article in articles]
    stored = {}
    for pk, digest in Article.objects.filter(content_hash__in=set(digests)).values_list("pk", "content_hash"):
        stored.setdefault(digest, []).append(pk)
    for position, (article, digest) in enumerate(zip(articles, digests, strict=True)):
        existing = [pk for pk in stored.get(digest, ()) if pk != article.pk]
        if existing:
            error = ValidationError(
                {
                    "body": _("A report with this title and body is already in the archive (id %(id)s).")
                    % {"id": min(existing)}
                },
                code="duplicate",
            )
            error.position = position
            raise error
        stored.setdefault(digest, []).append(article.pk)


@dataclass
class NewReport:
    """One report for `create_articles`: its fields (ARTICLE_FIELDS), what it covers ({"meetings": [...]}),
    and the unsaved Article to fill (the admin's form builds one), if any."""

    values: dict
    relations: dict | None = None
    instance: Article | None = None


@action
def create_article(*, user, status=Article.Status.DRAFT, relations=None, instance=None, text_is_new=False, **values):
    """A new report in `status`: created as a draft, or moved from draft to `status` at once, through the
    workflow (one row, one history entry; the same permission and stamps as the move).

    `instance` is an unsaved Article to fill and save (the admin's form builds one).
    `text_is_new`: the caller has just looked for this title and body in the archive.
    """
    report = NewReport(values=values, relations=relations, instance=instance)
    [article] = create_articles([report], user=user, status=status, text_is_new=text_is_new)
    return article


@action
def create_articles(reports, *, user, status=Article.Status.DRAFT, text_is_new=False):
    """New reports (`NewReport`s) in `status`, written together: one INSERT for the reports, one for their
    history rows, one a relation for what they cover and for its history, two for their near-duplicate
    signatures and one for the change log, whatever their number (`create_article` is this for one).
    Their derived data is refreshed when the batch ends (`derived.flush` sooner).

    A report the models refuse raises its `ValidationError` (a refused move its `PermissionDenied`) with
    `position`, its index in `reports`; nothing is written then.
    """
    articles = []
    for position, report in enumerate(reports):
        values = _clean_text(dict(report.values))
        unknown = set(values) - set(ARTICLE_FIELDS)
        if unknown:
            raise TypeError(f"create_article() got unexpected fields {sorted(unknown)}")
        article = report.instance if report.instance is not None else Article()
        for name, value in values.items():
            setattr(article, name, value)
        if article.imported_by_id is None:
            article.imported_by = workflow.recorded(user)
        article.edited_by = workflow.recorded(user)
        article.content_hash = content_hash(article.title, article.body)
        try:
            _validate(article, duplicate_checked=True)
        except ValidationError as error:
            error.position = position
            raise
        articles.append(article)
    if not text_is_new:
        refuse_duplicates(articles)
    for position, article in enumerate(articles):
        try:
            workflow.place_new(article, status=status, user=user)
        except (ValidationError, PermissionDenied) as error:
            error.position = position
            raise
        article._history_user = workflow.recorded(user)
    # One history row each that already shows what the report covers, written from the rows just created
    # (adding each relation through its manager would write one row per relation, each reading all
    # three tables again). Inserted together, the reports send no signal: they are marked for
    # `derived` below as a save and a first coverage would mark them.
    Article.objects.bulk_create(articles)
    written = [{} for _article in articles]
    for name in ARTICLE_RELATIONS:
        field = Article._meta.get_field(name)
        through, target = field.remote_field.through, field.m2m_reverse_field_name()
        rows = [
            (position, through(article=article, **{target: item}))
            for position, (article, report) in enumerate(zip(articles, reports, strict=True))
            for item in dict.fromkeys((report.relations or {}).get(name) or ())
        ]
        through.objects.bulk_create([row for _position, row in rows])
        for position, row in rows:
            written[position].setdefault(name, []).append(row)
    derived.touched([article.pk for article in articles], dates=True, copies=True, created=True)
    REPORT_HISTORY.create_first_records(articles, written)
    _written(articles, created=True, user=user)
    return articles


def _written(articles, *, created=False, user, changed=("title", "body")):
    """After reports' text is written: their near-duplicate signatures, and the public change log."""
    if {"title", "body"} & set(changed):
        index_texts(articles, new=created)
    if created:
        published = [article for article in articles if article.status == Article.Status.PUBLISHED]
        record_changes(published, kind="published", user=workflow.recorded(user), what={}, new=True)
    else:
        for article in articles:
            record_change(article, kind="corrected", user=workflow.recorded(user), what={"fields": sorted(changed)})


def _validate(article, *, duplicate_checked=False):
    """The report's own field rules and `clean()`.

    Relations were resolved by the caller (a form's or a serializer's field, a
    lookup by slug), the content hash is checked by `_refuse_duplicate`, and
    the table's check constraints restate field rules (not empty, a known
    status) that the database still enforces: none of them is asked again here.
    """
    relations = [f.name for f in Article._meta.concrete_fields if f.is_relation]
    article.full_clean(exclude=[*relations, "content_hash"], validate_unique=False, validate_constraints=False)
    if not duplicate_checked:
        refuse_duplicate(article)


@action
def edit_article(article, *, user, values=None, relations=None, status=None, expected_version=None):
    """Change a report's text, metadata, coverage and status; annotations follow a new body.

    `values`: {field: new value} for fields in ARTICLE_FIELDS; only those that
    differ from the stored row are written. `relations`: {"meetings": [...], ...}.
    `status`: a move through the workflow. `expected_version`: the version the
    editor read; when the stored one is newer, `StaleEdit` refuses the edit.
    Returns an `Edited`.
    """
    values = _clean_text(dict(values or {}))
    unknown = set(values) - set(ARTICLE_FIELDS)
    if unknown:
        raise TypeError(f"edit_article() got unexpected fields {sorted(unknown)}")
    stored = _locked(article)
    if expected_version is not None and int(expected_version) != stored.version:
        raise StaleEdit(stored, read=int(expected_version), changed=_changed_since(stored, int(expected_version)))
    changed = [name for name, value in values.items() if getattr(stored, name) != value]
    relations = {name: items for name, items in (relations or {}).items() if items is not None}
    moving = status is not None and status != stored.status
    relations_differ = any(
        set(getattr(stored, name).values_list("pk", flat=True)) != {obj.pk for obj in items}
        for name, items in relations.items()
    )
    if changed or relations_differ:
        _require(
            workflow.may_edit(user, stored),
            _("A published or withdrawn report can only be changed by a reviewer; ask one to reopen it."),
        )
    result = Edited(article=stored, changed=changed)
    if changed:
        old_body = stored.body
        for name in changed:
            setattr(stored, name, values[name])
        stored.edited_by = workflow.recorded(user)
        stored.content_hash = content_hash(stored.title, stored.body)
        _validate(stored)
        stored.version += 1
        stored._history_user = workflow.recorded(user)
        stored.save(update_fields=[*changed, "edited_by", "content_hash", "version", "updated_at"])
        if stored.body != old_body:
            result.reanchored = anchoring.reanchor(stored, old_body=old_body, user=workflow.recorded(user))
        _written([stored], user=user, changed=changed)
    _set_relations(stored, relations)
    if moving:
        workflow.transition(stored, to=status, user=user)
    _copy(stored, article)
    return result


def _copy(stored, article):
    """Bring the caller's instance up to date with what was saved."""
    if stored is not article:
        for f in Article._meta.concrete_fields:
            setattr(article, f.attname, getattr(stored, f.attname))


def _changed_since(stored, version):
    """{field: current value} for the fields changed since `version` of the report (from its history)."""
    then = stored.history.filter(version=version).order_by("-history_id").first()
    if then is None:
        return {}
    return {
        name: getattr(stored, name)
        for name in ARTICLE_FIELDS
        if name != "imported_by" and getattr(then, name, None) != getattr(stored, name)
    }


@action
def move_article(article, *, to, user):
    """A status move (submit, return, publish, withdraw), through the workflow."""
    return workflow.transition(article, to=to, user=user)


# -- Annotations ----------------------------------------------------------------------------------


def _editable_span_owner(article, user):
    """Lock the report an annotation belongs to and check `user` may change its annotations."""
    stored = _locked(article)
    _require(workflow.may_edit(user, stored), REVIEWERS_ONLY_ANNOTATE)
    return stored


def _save_span(annotation, *, user, update_fields=None):
    """Validate against the locked body, then write (one history row, attributed to `user`)."""
    annotation.full_clean(exclude=["article"])
    annotation.validate_constraints()
    annotation._history_user = workflow.recorded(user)
    try:
        with transaction.atomic():
            annotation.save(update_fields=update_fields)
    except IntegrityError as error:
        if "text_matches_body" in str(error):
            raise SpanConflict(str(error)) from error
        raise ValidationError(_("This passage is already annotated so."), code="unique") from error
    return annotation


@action
def create_annotation(annotation_type, /, *, article, user, co_speakers=None, **values):
    """A new quote, mention or note on `article`; its text is taken from the body when not given.

    `annotation_type` is "quote", "mention" or "note". A note is signed by `user`.
    """
    model = ANNOTATIONS[annotation_type]
    stored = _editable_span_owner(article, user)
    annotation = model(article=stored, **values)
    if not annotation.text and annotation.start is not None and annotation.end is not None:
        annotation.text = stored.body[annotation.start : annotation.end]
    if annotation_type == "note":
        annotation.author = workflow.recorded(user)
    _save_span(annotation, user=user)
    if co_speakers:
        annotation.co_speakers.set(co_speakers)
    _annotated(stored, user, "created", annotation)
    return annotation


def _annotated(article, user, how, annotation):
    """A published report's annotations changed: a correction in the public change log (ids, never text)."""
    if isinstance(annotation, Note):
        return  # editors' notes are never public
    name = f"{annotation._meta.model_name}:{annotation.pk}"
    record_change(article, kind="corrected", user=workflow.recorded(user), what={"annotations": {how: [name]}})


@action
def change_annotation(annotation, *, user, co_speakers=None, **values):
    """Change an annotation's fields (its speaker, its target, its note, its place); only those given are written.

    A new `start`/`end` takes its `text` from the body (a `text` given must match it).
    """
    _editable_span_owner(annotation.article, user)
    if "article" in values and values["article"].pk != annotation.article_id:
        raise ValidationError({"article": _("A passage cannot move to another article.")})
    values.pop("article", None)
    author = getattr(annotation, "author_id", None)
    if "note" in values and author not in (None, getattr(user, "pk", None)):
        _require(workflow.can_publish(user), _("Only the note's author or a reviewer may change it."))
    changed = [name for name, value in values.items() if getattr(annotation, name) != value]
    if annotation.needs_attention and {"start", "end"} & set(values):
        changed = sorted(set(changed) | {"start", "end"})  # re-attached, even where it was before
    for name in changed:
        setattr(annotation, name, values[name])
    if {"start", "end"} & set(changed):
        body = Article.objects.values_list("body", flat=True).get(pk=annotation.article_id)
        printed = body[annotation.start : annotation.end] if 0 <= annotation.start < annotation.end else ""
        if "text" in values and values["text"] != printed:
            raise ValidationError({"text": _("The text does not match the body.")}, code="mismatch")
        annotation.text = printed
        annotation.needs_attention = False
        changed = sorted(set(changed) | {"text", "needs_attention"})
    if changed:
        _save_span(annotation, user=user, update_fields=[*changed, "updated_at"])
        _annotated(annotation.article, user, "changed", annotation)
    if co_speakers is not None and set(annotation.co_speakers.values_list("pk", flat=True)) != {
        p.pk for p in co_speakers
    }:
        annotation.co_speakers.set(co_speakers)
    return annotation


def move_annotation(annotation, *, start, end, user, text=None):
    """Attach an annotation (one flagged after an edit, typically) to another passage of its report."""
    values = {"start": start, "end": end}
    if text is not None:
        values["text"] = text
    return change_annotation(annotation, user=user, **values)


@action
def delete_annotation(annotation, *, user):
    article = _editable_span_owner(annotation.article, user)
    annotation._history_user = workflow.recorded(user)
    _annotated(article, user, "deleted", annotation)
    annotation.delete()


@action
def link_evidence(article, *, text, field, user, meeting=None, agreement=None, participant=None, occurrence=0):
    """Link the `occurrence`-th passage `text` of `article` as evidence for `field` of a meeting or
    agreement; idempotent. Raises ValidationError (naming the problem) for a passage not in the body
    or a field the record does not have."""
    start = -1
    for _seen in range(occurrence + 1):
        start = article.body.find(text, start + 1)
        if start < 0:
            raise ValidationError(
                _("The passage %(text)s is not in the body of report %(id)s.") % {"text": text, "id": article.pk}
            )
    evidence = Evidence(
        article=article,
        start=start,
        end=start + len(text),
        text=text,
        field=field,
        meeting=meeting,
        agreement=agreement,
        participant=participant,
    )
    evidence.full_clean(validate_constraints=False)
    existing = Evidence.objects.filter(
        article=article,
        start=evidence.start,
        end=evidence.end,
        field=field,
        meeting=meeting,
        agreement=agreement,
        participant=participant,
    ).first()
    if existing is not None:
        return existing
    _require(workflow.may_edit(user, article), REVIEWERS_ONLY_ANNOTATE)
    evidence._history_user = workflow.recorded(user)
    evidence.save()
    return evidence


# -- The diplomatic record ------------------------------------------------------------------------


# -- Reports in -----------------------------------------------------------------------------------


class ProbableVersion(Exception):
    """A report with the same title and source but another text: probably a new version of it."""

    def __init__(self, article_id, where=""):
        self.article_id = article_id
        self.where = where
        super().__init__(article_id)


def source_named(name, *, other_name=""):
    """The Source called `name` in either language, created if the archive has none (with `other_name`
    as its name in the other language)."""
    # one query for both names; a match of the Arabic name wins over one of the English
    # the slug reads in Latin letters when the source has a Latin name, else in Arabic (articles/slugs.py)
    latin = name if not _is_arabic(name) else other_name
    base = readable_slug(latin, name)[: Source._meta.get_field("slug").max_length - 6]
    rows = list(
        Source.objects.filter(Q(name_ar=name) | Q(name_en__iexact=name) | Q(slug__startswith=base)).order_by("pk")
    )
    matches = [s for s in rows if s.name_ar == name or s.name_en.casefold() == name.casefold()]
    source = next((s for s in matches if s.name_ar == name), matches[0] if matches else None)
    if source is not None:
        return source
    arabic = _is_arabic(name)
    # A source named only in Latin letters keeps that name as its Arabic one too, until an editor gives one.
    names = {"name_ar": name, "name_en": other_name} if arabic else {"name_ar": other_name or name, "name_en": name}
    taken = {s.slug for s in rows}
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    source = Source(**names, slug=slug)
    source.full_clean(validate_unique=False)  # the slug was just found free
    source.save()
    return source


def _is_arabic(name):
    return any("\u0600" <= ch <= "\u06ff" for ch in name)


def _known_source(name):
    return Source.objects.filter(Q(name_ar=name) | Q(name_en__iexact=name)).exists()


def _field_problem(error, where):
    """A model ValidationError as the importer's one-line message: where, field, what is wrong."""
    if hasattr(error, "message_dict"):
        parts = [f"'{name}': {' '.join(messages)}" for name, messages in error.message_dict.items()]
    else:
        parts = list(error.messages)
    prefix = f"{where}: " if where else ""
    return prefix + "; ".join(parts)


def import_reports(
    parsed, *, status=Article.Status.DRAFT, default_source="", user, as_new=False, warnings=None, progress=None
):
    """Write parsed reports (inside the caller's transaction). Returns (ids, created_any).

    `parsed` is a list of `ParsedArticle`s or anything with a length that yields them (a JSON Lines file
    read a line at a time, `importing.JsonLinesFile`). They are written `BATCH` at a time
    (`create_articles`), and the derived data of each batch (search index, copies) is refreshed before
    the next is read, so a file of any length costs a few dozen queries a batch and never holds more
    than a batch in memory. `progress(done, total)`, when given, is called after each batch.

    A report whose title and body are already in the archive is left as it is;
    one whose title and source match a report but whose text differs raises
    `ProbableVersion` unless `as_new`. A report the models refuse raises
    `BadImport` naming where it is in the file and the field. Reports later in the file see the earlier
    ones exactly as if each had been written alone, in order.
    """
    total = len(parsed)
    ids, created_any, sources, seen = [], False, {}, _Seen()
    batch = []
    for item in parsed:
        batch.append(item)
        if len(batch) == BATCH:
            created_any |= _import_batch(batch, ids, status, default_source, user, as_new, warnings, sources, seen)
            batch = []
            if progress is not None:
                progress(len(ids), total)
    if batch:
        created_any |= _import_batch(batch, ids, status, default_source, user, as_new, warnings, sources, seen)
        if progress is not None:
            progress(len(ids), total)
    return ids, created_any


BATCH = 1000  # reports written together by an import; its progress is told after each batch


class _Seen:
    """The reports a file has created so far: {content hash: id}, {(title, source id): newest id}."""

    def __init__(self):
        self.by_hash, self.by_title = {}, {}


def _import_batch(items, ids, status, default_source, user, as_new, warnings, sources, seen):
    """Write one batch of an import (see `import_reports`), appending each report's id to `ids`; then refresh
    the batch's derived data. Says whether it created any report."""
    before = len(seen.by_hash)
    pairs = [(item, _source_of(item, default_source, sources)) for item in items]
    stored = _lookups(pairs)
    found, waiting, keys = [None] * len(pairs), [], set()
    for position, ((item, source), (same, earlier)) in enumerate(zip(pairs, stored, strict=True)):
        digest, title = _keys(item, source)
        if digest in keys or title in keys:  # the same text (or title) twice in one batch: the first goes in first
            _create_waiting(waiting, pairs, found, status, user, warnings, seen)
            waiting, keys = [], set()
        same = seen.by_hash.get(digest, same)
        if same is not None:
            found[position] = same
            continue
        earlier = max((pk for pk in (earlier, seen.by_title.get(title)) if pk is not None), default=None)
        if earlier is not None and not as_new:
            raise ProbableVersion(earlier, item.where)
        waiting.append(position)
        keys.update((digest, title))
    _create_waiting(waiting, pairs, found, status, user, warnings, seen)
    ids.extend(found)
    derived.flush()
    return len(seen.by_hash) > before


def _keys(item, source):
    title = item.title.strip()
    return content_hash(title, normalize_newlines(item.body)), (title, source.pk if source else None)


def _create_waiting(positions, pairs, found, status, user, warnings, seen):
    """Create the reports at `positions` of `pairs` together; note their ids in `found` and `seen`, and the
    copy notices of each (`copy_notices`) in `warnings`."""
    if not positions:
        return
    articles = _create_parsed([pairs[position] for position in positions], status=status, user=user)
    for position, article in zip(positions, articles, strict=True):
        found[position] = article.pk
        digest, title = _keys(*pairs[position])
        seen.by_hash[digest] = seen.by_title[title] = article.pk
    if warnings is not None:
        for notices in copy_notices(articles):
            warnings.extend(notices)


def copy_notices(articles):
    """ "This text is 94% the same as report 812 from another outlet": for the editor, at import; for each
    of `articles` (created together, in order), at most three. Each is compared with the reports stored
    before it, as if it had been imported alone: not with itself nor with those after it in `articles`.
    Two queries for all of them."""
    order = {article.pk: position for position, article in enumerate(articles)}
    sigs = {article.pk: stored_signature(article) for article in articles}
    found = near_duplicates_of(sigs, ignore=lambda pk, other: order.get(other, -1) >= order[pk], in_hand=sigs)
    found = {pk: pairs[:3] for pk, pairs in found.items()}
    named = {other for pairs in found.values() for other, _score in pairs}
    sources = {article.pk: article.source_id for article in articles}
    outside = named - set(sources)
    if outside:
        sources.update(Article.objects.filter(pk__in=outside).values_list("pk", "source_id"))
    return [
        [
            f"this text is {round(score * 100)}% the same as report {pk}"
            + (" from another outlet" if sources.get(pk) != article.source_id else " from the same outlet")
            for pk, score in found[article.pk]
        ]
        for article in articles
    ]


def _source_of(item, default_source, sources):
    """The Source a parsed report names (or the file's default), found or created once a file (`sources`)."""
    name = item.source or default_source
    if name and name not in sources:
        sources[name] = source_named(name, other_name=item.source_other if item.source else "")
    return sources.get(name)


def _lookup(item, source):
    """(the report with exactly this title and body, the newest with this title from this source): one query."""
    return _lookups([(item, source)])[0]


def _lookups(pairs):
    """`_lookup` for each (parsed report, source) of `pairs`, in one query."""
    keys = [_keys(item, source) for item, source in pairs]
    digests = {digest for digest, _title in keys}
    titles = {title for _digest, title in keys}
    matching = Q(content_hash__any_of=sorted(digests))
    with_source = sorted({name for name, source in titles if source is not None})
    if with_source:
        sources = sorted({source for _name, source in titles if source is not None})
        matching |= Q(title__any_of=with_source, source__in=sources)
    without = sorted({name for name, source in titles if source is None})
    if without:
        matching |= Q(title__any_of=without, source__isnull=True)
    same, by_title = {}, {}
    rows = Article.objects.filter(matching).values_list("pk", "content_hash", "title", "source_id")
    for pk, digest, title, source in rows:
        if digest in digests:
            same[digest] = pk
        by_title.setdefault((title, source), []).append((digest, pk))
    answers = []
    for digest, title in keys:
        others = [pk for found, pk in by_title.get(title, ()) if found != digest]
        answers.append((same.get(digest), max(others, default=None)))
    return answers


def _create_parsed(pairs, *, status, user, relations=None, extra=None):
    """Create parsed reports, each with its source ((report, source) pairs); a report the models refuse
    raises `BadImport` naming where it is in its file and the field."""
    reports = [
        NewReport(
            values={
                "title": item.title,
                "body": item.body,
                "source": source,
                "published": item.published,
                "language": item.language,
                "url": item.url,
                "byline": item.byline,
                **(extra or {}),
            },
            relations=relations,
        )
        for item, source in pairs
    ]
    try:
        return create_articles(reports, user=user, status=status, text_is_new=True)
    except ValidationError as error:
        raise BadImport(_field_problem(error, pairs[getattr(error, "position", 0)][0].where)) from None
    except PermissionDenied as error:
        raise BadImport(str(error)) from None


def _new_report(item, *, source, earlier, status, user, relations=None, extra=None):
    """Create one parsed report, unless it is probably a new version of `earlier` (then `ProbableVersion`)."""
    if earlier is not None:
        raise ProbableVersion(earlier, item.where)
    [article] = _create_parsed([(item, source)], status=status, user=user, relations=relations, extra=extra)
    return article


def import_file(path, *, status=Article.Status.DRAFT, default_source="", user, as_new=False, data=None, progress=None):
    """Import one file whole or not at all; never raises for bad input, reports it in the `FileResult`.

    `data`: the file's bytes when they are not on disk (an upload); `path` then only names it.
    `progress(done, total)`: see `import_reports`.
    """
    warnings = []
    try:
        if data is None:
            parsed = read_file(path, known_source=_known_source, warnings=warnings)
        else:
            parsed = parse_bytes(str(path), data, known_source=_known_source, warnings=warnings)
    except BadImport as exc:
        return FileResult(path=str(path), status="error", error=f"{path}: {exc}", warnings=warnings)
    return import_parsed(
        path,
        parsed,
        status=status,
        default_source=default_source,
        user=user,
        as_new=as_new,
        warnings=warnings,
        progress=progress,
    )


def import_parsed(
    path, parsed, *, status=Article.Status.DRAFT, default_source="", user, as_new=False, warnings=(), progress=None
):
    """Write the reports read from one file (`path` names it in the result), all or none."""
    warnings = list(warnings)
    try:
        ids, created = action(import_reports)(
            parsed,
            status=status,
            default_source=default_source,
            user=user,
            as_new=as_new,
            warnings=warnings,
            progress=progress,
        )
    except BadImport as exc:
        return FileResult(path=str(path), status="error", error=f"{path}: {exc}", warnings=warnings)
    except ProbableVersion as exc:
        where = f" ({exc.where})" if exc.where else ""
        return FileResult(
            path=str(path),
            status="error",
            error=f"{path}{where}: probably a new version of report {exc.article_id} (same title and source, "
            "another text); not imported. Import it with --as-new to keep both.",
            warnings=warnings,
            probable_version_of=exc.article_id,
        )
    return FileResult(path=str(path), status="created" if created else "unchanged", ids=ids, warnings=warnings)


# -- Records JSON in (import_records, load_demo) --------------------------------------------------
#
# A records file can hold hundreds of rows; they are written a table at a time (read what exists,
# create what is new in one statement with its history rows, save what differs), so loading the
# demo on an empty database costs a few dozen queries, not one a row.


def _has_history(model):
    return hasattr(model, "history")


def _check_row(obj):
    """The model's field checks and `clean()`, without a query a row: relations were just resolved by slug,
    and the database's unique and check constraints still stand behind the insert."""
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def _bulk_create(model, objs, *, user):
    if not objs:
        return []
    for obj in objs:
        _check_row(obj)
    if _has_history(model):
        return bulk_create_with_history(objs, model, default_user=user)
    return model.objects.bulk_create(objs)


def _save_changed(obj, values, *, user):
    """Set `values` on `obj` and save it if any differs (so the history stays quiet); says whether it did."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(obj, name, values[name])
    _check_row(obj)
    obj._history_user = user
    obj.save()
    return True


def _upsert_by_slug(model, items, *, user, summary, fresh, existing=None):
    """Rows keyed by slug: create the new ones together, update those that differ. Returns {slug: row}.

    The ids of the rows created are added to `fresh` (nothing hangs off them yet, so nothing needs reading).
    """
    slugs = [item["key"] for item in items]
    rows = existing if existing is not None else {obj.slug: obj for obj in model.objects.filter(slug__in=slugs)}
    new = [model(slug=item["key"], **item["values"]) for item in items if item["key"] not in rows]
    for obj in _bulk_create(model, new, user=user):
        rows[obj.slug] = obj
        fresh.add(obj.pk)
    summary["changed"] += len(new)
    for item in items:
        if rows[item["key"]] not in new:
            summary["changed"] += _save_changed(rows[item["key"]], item["values"], user=user)
    return rows


def _link(through, owner_field, target_field, pairs, *, fresh=()):
    """Add the missing (owner id, target id) rows of a many-to-many table; returns how many were added.

    Owners in `fresh` were just created and have no rows to read.
    """
    owners = {owner for owner, _ in pairs} - set(fresh)
    present = set()
    if owners:
        present = set(
            through.objects.filter(**{f"{owner_field}_id__in": owners}).values_list(
                f"{owner_field}_id", f"{target_field}_id"
            )
        )
    missing = [
        through(**{f"{owner_field}_id": owner, f"{target_field}_id": target})
        for owner, target in dict.fromkeys(pairs)
        if (owner, target) not in present
    ]
    through.objects.bulk_create(missing)
    return len(missing)


def set_roles(model, owner_field, roles, *, user, fresh=()):
    """Make each owner's rows of `model` (participations, agreement parties) exactly `roles`.

    `roles`: {owner: [(participant, role)]}. Rows not listed are removed, new
    ones created together, changed roles saved; returns how many rows changed.
    The reports covering a meeting whose participants changed are marked for
    `derived` (their participants follow). Owners in `fresh` were just created:
    they have no rows yet and no report covers them.
    """
    owners = {owner.pk: owner for owner in roles}
    known = [pk for pk in owners if pk not in fresh]
    current = {}
    for row in model.objects.filter(**{f"{owner_field}__in": known}) if known else ():
        current[(getattr(row, f"{owner_field}_id"), row.participant_id)] = row
    wanted = {(owner.pk, p.pk): (owner, p, role) for owner, listed in roles.items() for p, role in listed}
    changed = 0
    for key, row in current.items():
        if key not in wanted:
            row._history_user = user
            row.delete()
            changed += 1
    new = []
    for key, (owner, participant, role) in wanted.items():
        row = current.get(key)
        if row is None:
            new.append(model(**{owner_field: owner}, participant=participant, role=role))
        else:
            changed += _save_changed(row, {"role": role}, user=user)
    _bulk_create(model, new, user=user)
    changed += len(new)
    if changed and model is Participation and known:
        derived.touched(Article.objects.filter(meetings__in=known).values_list("pk", flat=True))
    return changed


@action
def create_participant(*, user, name_ar, name_en="", kind=Participant.Kind.PERSON, description=""):
    """A participant the records did not know, named as the report prints them (the name is also an alias)."""
    participant = Participant(
        kind=kind,
        name_ar=name_ar.strip(),
        name_en=name_en.strip(),
        description=description.strip(),
        slug=unique_slug(Participant, name_en, name_ar),
    )
    participant.full_clean(validate_unique=False)
    participant._history_user = workflow.recorded(user)
    participant.save()
    alias = ParticipantAlias(participant=participant, name=participant.name_ar, language="ar")
    alias._history_user = workflow.recorded(user)
    alias.save()
    return participant


@action
def set_meeting_date(meeting, *, start, user, end=None, precision="day"):
    """A meeting's date (from a date an editor accepted in a report that covers it)."""
    meeting.start, meeting.end, meeting.date_precision = start, end, precision
    meeting.full_clean(validate_unique=False)
    meeting._history_user = workflow.recorded(user)
    meeting.save(update_fields=["start", "end", "date_precision", "updated_at"])
    return meeting


@action
def set_meeting_participants(meeting, *, participants, user):
    """Who took part in a meeting, with their roles: [(participant, role)]; the rest are removed."""
    return set_roles(Participation, "meeting", {meeting: participants}, user=workflow.recorded(user))


@action
def set_agreement_parties(agreement, *, parties, user):
    """The parties to an agreement, with their roles: [(participant, role)]; the rest are removed."""
    return set_roles(AgreementParty, "agreement", {agreement: parties}, user=workflow.recorded(user))


@action
def load_records(path, *, status=Article.Status.DRAFT, user, quotes_only=False):
    """Load a records JSON file (`records.read_records` checks it first). Returns a summary dict.

    Records are created or updated by key; a meeting's participants and an
    agreement's parties become exactly those the file lists. An article the
    file carries is created with `status` through the workflow; one already in
    the archive keeps its status, except that a draft or a report in review is
    published when `status` is published (a withdrawn report is never
    republished by a file: that is a reviewer's decision).
    """
    plan = read_records(path)
    if plan["article"] and quotes_only:  # the report and its quotes only: no linked names, no approximate date
        plan["article"]["mentions"], plan["article"]["approximate"] = [], {}
    who = workflow.recorded(user)
    summary = dict.fromkeys(("participants", "places", "topics", "meetings", "agreements", "quotes", "changed"), 0)
    summary["article"] = None

    fresh = {model: set() for model in (Participant, Place, Topic, Meeting, Agreement)}  # created by this load
    people = _upsert_by_slug(Participant, plan["participants"], user=who, summary=summary, fresh=fresh[Participant])
    summary["participants"] = len(plan["participants"])
    _load_aliases_and_offices(plan["participants"], people, user=who, summary=summary, fresh=fresh[Participant])
    places = _upsert_by_slug(Place, plan["places"], user=who, summary=summary, fresh=fresh[Place])
    topics = _upsert_by_slug(Topic, plan["topics"], user=who, summary=summary, fresh=fresh[Topic])
    summary["places"], summary["topics"] = len(plan["places"]), len(plan["topics"])

    # records the file names but does not define are in the archive (read_records checked it)
    referenced = _referenced(plan)
    people.update({p.slug: p for p in Participant.objects.filter(slug__in=referenced["participants"] - set(people))})
    places.update({p.slug: p for p in Place.objects.filter(slug__in=referenced["places"] - set(places))})
    topics.update({t.slug: t for t in Topic.objects.filter(slug__in=referenced["topics"] - set(topics))})

    meetings = {m.slug: m for m in Meeting.objects.filter(slug__in=referenced["meetings"] | keys_of(plan["meetings"]))}
    pending = list(plan["meetings"])
    while pending:  # a meeting is written once the one it is part of exists (it may come later in the file)
        ready = [item for item in pending if not item["part_of"] or item["part_of"] in meetings]
        if not ready:
            raise RecordsError([f"{path}: meetings: 'part_of' goes round in a circle"])
        items = [
            {
                **item,
                "values": {
                    **item["values"],
                    "place": places.get(item["place"]),
                    "part_of": meetings.get(item["part_of"]),
                },
            }
            for item in ready
        ]
        meetings = _upsert_by_slug(Meeting, items, user=who, summary=summary, fresh=fresh[Meeting], existing=meetings)
        pending = [item for item in pending if item not in ready]
    summary["changed"] += set_roles(
        Participation,
        "meeting",
        {meetings[item["key"]]: [(people[who_], role) for who_, role in item["people"]] for item in plan["meetings"]},
        user=who,
        fresh=fresh[Meeting],
    )
    summary["changed"] += _link(
        Meeting.topics.through,
        "meeting",
        "topic",
        [(meetings[item["key"]].pk, topics[t].pk) for item in plan["meetings"] for t in item["topics"]],
        fresh=fresh[Meeting],
    )
    summary["meetings"] = len(plan["meetings"])

    agreements = _upsert_by_slug(Agreement, plan["agreements"], user=who, summary=summary, fresh=fresh[Agreement])
    agreements.update(
        {a.slug: a for a in Agreement.objects.filter(slug__in=referenced["agreements"] - set(agreements))}
    )
    summary["changed"] += set_roles(
        AgreementParty,
        "agreement",
        {agreements[item["key"]]: [(people[p], role) for p, role in item["parties"]] for item in plan["agreements"]},
        user=who,
        fresh=fresh[Agreement],
    )
    summary["changed"] += _link(
        Agreement.negotiated_at.through,
        "agreement",
        "meeting",
        [(agreements[item["key"]].pk, meetings[m].pk) for item in plan["agreements"] for m in item["negotiated_at"]],
        fresh=fresh[Agreement],
    )
    summary["changed"] += _link(
        Agreement.topics.through,
        "agreement",
        "topic",
        [(agreements[item["key"]].pk, topics[t].pk) for item in plan["agreements"] for t in item["topics"]],
        fresh=fresh[Agreement],
    )
    summary["agreements"] = len(plan["agreements"])

    if plan["article"]:
        records = {
            "participants": people,
            "places": places,
            "meetings": meetings,
            "agreements": agreements,
            "topics": topics,
        }
        summary["article"] = _load_article(plan["article"], records, status=status, user=user, summary=summary)
    return summary


def keys_of(items):
    return {item["key"] for item in items}


@action
def load_demo(paths, *, user, quotes_only=False):
    """Several records files in one transaction, their derived data refreshed once (`load_demo`)."""
    return [load_records(path, status=Article.Status.PUBLISHED, user=user, quotes_only=quotes_only) for path in paths]


def _referenced(plan):
    found = {"participants": set(), "places": set(), "topics": set(), "meetings": set(), "agreements": set()}
    for item in plan["meetings"]:
        found["participants"].update(who for who, _ in item["people"])
        found["places"].update([item["place"]] if item["place"] else [])
        found["meetings"].update([item["part_of"]] if item["part_of"] else [])
        found["topics"].update(item["topics"])
    for item in plan["agreements"]:
        found["participants"].update(p for p, _ in item["parties"])
        found["meetings"].update(item["negotiated_at"])
        found["topics"].update(item["topics"])
    article = plan["article"]
    if article:
        for q in article["quotes"]:
            found["participants"].update(x for x in (q["speaker"], q["addressee"]) if x)
            found["meetings"].update([q["meeting"]] if q["meeting"] else [])
        for name in ("meetings", "agreements", "topics"):
            found[name].update(article["covers"][name])
        for item in article["evidence"]:
            for ref in ("meeting", "agreement", "participant"):
                found[f"{ref}s"].update([item[ref]] if item.get(ref) else [])
        for mention in article["mentions"]:
            found[f"{mention['target']}s"].add(mention["key"])
    return found


def _load_aliases_and_offices(items, people, *, user, summary, fresh):
    known = [people[item["key"]].pk for item in items if people[item["key"]].pk not in fresh]
    aliases = set()
    if known:
        aliases = set(ParticipantAlias.objects.filter(participant__in=known).values_list("participant_id", "name"))
    new_aliases = []
    for item in items:
        person = people[item["key"]]
        for name, language in item["aliases"]:
            key = (person.pk, name.strip())
            if key not in aliases:
                aliases.add(key)
                new_aliases.append(
                    ParticipantAlias(
                        participant=person, name=key[1], language=language, normalized=derived.alias_form(key[1])
                    )
                )
    _bulk_create(ParticipantAlias, new_aliases, user=user)
    offices = {}
    if known:
        offices = {(o.participant_id, o.title_ar, o.start): o for o in Office.objects.filter(participant__in=known)}
    new_offices = []
    for item in items:
        person = people[item["key"]]
        for office in item["offices"]:
            values = {k: office[k] for k in ("title_en", "country", "end")}
            row = offices.get((person.pk, office["title_ar"], office["start"]))
            if row is None:
                new_offices.append(
                    Office(participant=person, title_ar=office["title_ar"], start=office["start"], **values)
                )
            else:
                summary["changed"] += _save_changed(row, values, user=user)
    _bulk_create(Office, new_offices, user=user)
    summary["changed"] += len(new_aliases) + len(new_offices)


def _load_article(item, records, *, status, user, summary):
    parsed = item["parsed"]
    relations = {name: [records[name][key] for key in item["covers"][name]] for name in ARTICLE_RELATIONS}
    source = _source_of(parsed, "", {})
    same, earlier = _lookup(parsed, source)
    created = same is None
    if created:
        try:
            article = _new_report(
                parsed,
                source=source,
                earlier=earlier,
                status=status,
                user=user,
                relations=relations,
                extra=item["approximate"],
            )
        except BadImport as error:
            raise RecordsError([f"article: {error}"]) from None
        except ProbableVersion as error:
            raise RecordsError(
                [f"article: probably a new version of report {error.article_id} (same title and source, another text)"]
            ) from None
        summary["changed"] += 1
    else:
        article = Article.objects.select_related("source").get(pk=same)
        if status == Article.Status.PUBLISHED and article.status in (Article.Status.DRAFT, Article.Status.IN_REVIEW):
            workflow.transition(article, to=status, user=user)
            summary["changed"] += 1
        for name, target in (("meetings", "meeting"), ("agreements", "agreement"), ("topics", "topic")):
            pairs = [(article.pk, record.pk) for record in relations[name]]
            summary["changed"] += _link(getattr(Article, name).through, "article", target, pairs)
    source = item["source"]
    if isinstance(source, dict) and article.source and source.get("name_en") and not article.source.name_en:
        article.source.name_en = source["name_en"]
        article.source.save(update_fields=["name_en"])
    summary["changed"] += _load_quotes(article, item["quotes"], records, user=user, new=created)
    summary["quotes"] = len(item["quotes"])
    summary["changed"] += _load_evidence(article, item["evidence"], records, user=user)
    summary["changed"] += _load_mentions(article, item["mentions"], records, user=user, new=created)
    if item["approximate"] and not created:
        summary["changed"] += bool(edit_article(article, user=user, values=item["approximate"]).changed)
    return article.pk


def _load_mentions(article, items, records, *, user, new=False):
    """The names an editor linked in the file (`mentions`), new ones created together."""
    rows = [
        Mention(
            article=article,
            start=m["start"],
            end=m["end"],
            text=m["text"],
            **{m["target"]: records[f"{m['target']}s"][m["key"]]},
        )
        for m in items
    ]
    if not rows:
        return 0
    key = lambda m: (m.start, m.end, m.participant_id, m.place_id)  # noqa: E731
    present = set() if new else {key(m) for m in Mention.objects.filter(article=article)}
    added = [m for m in rows if key(m) not in present]
    if added:
        _require(workflow.may_edit(user, article), REVIEWERS_ONLY_ANNOTATE)
    _bulk_create(Mention, added, user=workflow.recorded(user))
    derived.touched([article.pk])
    return len(added)


def _load_evidence(article, items, records, *, user):
    """The file's evidence on `article` (passages supporting a meeting's or an agreement's fields), new ones
    created together; the same passage for the same field is not linked twice."""
    rows = []
    for item in items:
        start = -1
        for _seen in range(item.get("occurrence", 0) + 1):
            start = article.body.find(item["text"], start + 1)
        targets = {
            ref: records[f"{ref}s"][item[ref]] for ref in ("meeting", "agreement", "participant") if item.get(ref)
        }
        rows.append(
            Evidence(
                article=article,
                start=start,
                end=start + len(item["text"]),
                text=item["text"],
                field=item["field"],
                **targets,
            )
        )
    if not rows:
        return 0
    key = lambda e: (e.start, e.end, e.field, e.meeting_id, e.agreement_id, e.participant_id)  # noqa: E731
    present = {key(e) for e in Evidence.objects.filter(article=article)}
    new = [e for e in rows if key(e) not in present]
    if new:
        _require(workflow.may_edit(user, article), REVIEWERS_ONLY_ANNOTATE)
        for e in new:
            e.clean()  # the field belongs to its record (a meeting's date, an agreement's parties)
    _bulk_create(Evidence, new, user=workflow.recorded(user))
    return len(new)


def _load_quotes(article, quotes, records, *, user, new):
    """The file's quotes on `article`, keyed by their span: new ones created together, changed ones saved."""
    if quotes and not workflow.may_edit(user, article):
        raise PermissionDenied(
            _("The annotations of a published or withdrawn report can only be changed by a reviewer.")
        )
    people, meetings = records["participants"], records["meetings"]
    existing = {} if new else {(q.start, q.end): q for q in Quote.objects.filter(article=article)}
    new, changed = [], 0
    for q in quotes:
        values = {
            "text": q["text"],
            "kind": q["kind"],
            "translation_en": q["translation_en"],
            "speaker": people.get(q["speaker"]),
            "addressee": people.get(q["addressee"]),
            "meeting": meetings.get(q["meeting"]),
        }
        row = existing.get((q["start"], q["end"]))
        if row is None:
            new.append(Quote(article=article, start=q["start"], end=q["end"], **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            _require(workflow.may_edit(user, article), REVIEWERS_ONLY_ANNOTATE)
            changed += _save_changed(row, values, user=workflow.recorded(user))
    if new:
        _require(workflow.may_edit(user, article), REVIEWERS_ONLY_ANNOTATE)
    _bulk_create(Quote, new, user=workflow.recorded(user))
    return changed + len(new)

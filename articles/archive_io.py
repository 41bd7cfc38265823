"""The whole archive out to a folder of JSON Lines and back into an empty database, losslessly.

`export_archive DIR` writes one file a kind of row (`articles.Article.jsonl`,
`diplomacy.Participant.jsonl`, …) and a `manifest.json` that lists them in
order with their counts; `import_archive DIR` writes every row back with its
id, in one transaction, then rebuilds what is derived (the people each report
involves, the search index). The archive restored answers every public page
and API request as the original did: same ids and permanent links, statuses,
annotations, records, and the revision history (django-simple-history's rows,
who published what and when). The format is documented in docs/archive.md.

What is not carried: passwords and API tokens (secrets stay where they were;
restored accounts have no usable password until one is set), the admin's own
action log, sign-in attempts, and the derived tables, which are rebuilt.
"""

import datetime
import decimal
import json
import uuid
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, transaction

from articles import derived
from articles.duplicates import index_text
from articles.models import Article
from articles.search import index as search_index

FORMAT = "diplomacy-archive/1"
MANIFEST = "manifest.json"
# Rebuilt from the rest after an import, never carried: who each report involves, the search index, and
# the near-duplicate signatures.
DERIVED = {
    "articles.Article_participants",
    "articles.DataGeneration",
    "articles.SearchDocument",
    "articles.TextSignature",
    "articles.TextBand",
}
# The accounts the record names (imported, edited, reviewed, published by; note authors; history).
USER_FIELDS = ["id", "username", "first_name", "last_name", "is_active", "is_staff", "is_superuser", "date_joined"]


class ArchiveError(Exception):
    """The folder cannot be imported (named file, line and reason), or the database is not empty."""


def kinds():
    """Every model whose rows make up the archive, in a stable order: the record, then the coverage,
    each app's models as Django lists them (m2m tables and simple-history tables included)."""
    found = []
    for label in ("diplomacy", "articles"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label not in DERIVED and model._meta.managed and not model._meta.proxy:
                found.append(model)
    return found


def _encode(value):
    if isinstance(value, datetime.date | datetime.time):  # datetimes too, with their microseconds
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _line(row):
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


def _stored(model):
    """The fields a row carries: a generated column (`Article.dated`) is the database's to compute."""
    return [field for field in model._meta.concrete_fields if not getattr(field, "generated", False)]


def _model_rows(model):
    fields = _stored(model)
    for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000):
        yield {field.attname: _encode(field.value_from_object(obj)) for field in fields}


def _user_rows():
    users = get_user_model()._base_manager.order_by("pk").prefetch_related("groups")
    for user in users:
        row = {name: _encode(getattr(user, name)) for name in USER_FIELDS}
        row["groups"] = sorted(group.name for group in user.groups.all())
        yield row


def export_archive(directory):
    """Write the archive to `directory` (created if need be); returns {file name: rows}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    sources = [("auth.User", _user_rows())] + [(model._meta.label, _model_rows(model)) for model in kinds()]
    with transaction.atomic():  # one consistent moment, even while editors work
        for label, rows in sources:
            name = f"{label}.jsonl"
            count = 0
            with open(directory / name, "w", encoding="utf-8") as out:
                for row in rows:
                    out.write(_line(row))
                    count += 1
            counts[name] = count
    manifest = {"format": FORMAT, "files": [{"name": name, "rows": n} for name, n in counts.items()]}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return counts


def _read(directory, name):
    path = directory / name
    try:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise ArchiveError(f"{name}, line {number}: malformed JSON ({exc.msg})") from None
                    if not isinstance(row, dict):
                        raise ArchiveError(f"{name}, line {number}: expected a JSON object")
                    yield number, row
    except FileNotFoundError:
        raise ArchiveError(f"{name}: missing from {directory}") from None


def _objects(model, directory, name):
    fields = {field.attname: field for field in _stored(model)}
    for number, row in _read(directory, name):
        unknown = set(row) - set(fields)
        if unknown:
            raise ArchiveError(f"{name}, line {number}: unknown field(s) {', '.join(sorted(unknown))}")
        try:
            values = {attname: fields[attname].to_python(value) for attname, value in row.items()}
        except Exception as exc:
            raise ArchiveError(f"{name}, line {number}: {exc}") from None
        yield model(**values)


def _insert(model, objects):
    """Rows as they are, ids and timestamps included: a raw insert, as loaddata does, so no
    `auto_now` field is stamped again and no signal (history, derived data) fires."""
    fields = _stored(model)
    objects = list(objects)
    size = connection.ops.bulk_batch_size(fields, objects) or len(objects) or 1
    for start in range(0, len(objects), size):
        model._base_manager._insert(objects[start : start + size], fields=fields, raw=True)
    return len(objects)


def _insert_users(directory):
    User = get_user_model()
    groups = {group.name: group for group in Group.objects.all()}
    users, memberships = [], []
    for number, row in _read(directory, "auth.User.jsonl"):
        missing = set(USER_FIELDS) - set(row)
        if missing:
            raise ArchiveError(f"auth.User.jsonl, line {number}: missing {', '.join(sorted(missing))}")
        user = User(**{name: row[name] for name in USER_FIELDS})
        user.date_joined = User._meta.get_field("date_joined").to_python(row["date_joined"])
        user.set_unusable_password()
        users.append(user)
        for name in row.get("groups", []):
            if name not in groups:
                groups[name] = Group.objects.create(name=name)
            memberships.append(User.groups.through(user_id=user.id, group_id=groups[name].id))
    count = _insert(User, users)
    User.groups.through.objects.bulk_create(memberships)
    return count


def is_empty():
    return not any(model._base_manager.exists() for model in kinds()) and not get_user_model().objects.exists()


def import_archive(directory):
    """Load an export into an empty database; returns {file name: rows}. Nothing is written on error."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArchiveError(f"{directory}: no {MANIFEST}; is this a folder written by export_archive?") from None
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"{MANIFEST}: malformed JSON ({exc.msg})") from None
    if manifest.get("format") != FORMAT:
        raise ArchiveError(f"{MANIFEST}: format {manifest.get('format')!r}, expected {FORMAT!r}")
    by_label = {model._meta.label: model for model in kinds()}
    names = [entry["name"] for entry in manifest.get("files", [])]
    unknown = [n for n in names if n != "auth.User.jsonl" and n.removesuffix(".jsonl") not in by_label]
    if unknown:
        raise ArchiveError(f"{MANIFEST}: unknown kinds {', '.join(unknown)}")
    if not is_empty():
        raise ArchiveError("the database already holds records or accounts; import_archive fills an empty one")
    counts = {}
    # Foreign keys are checked at commit (deferred on PostgreSQL and SQLite), so order does not matter.
    with transaction.atomic():
        counts["auth.User.jsonl"] = _insert_users(directory)
        for name in names:
            label = name.removesuffix(".jsonl")
            if label in by_label:
                model = by_label[label]
                counts[name] = _insert(model, _objects(model, directory, name))
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [get_user_model(), *kinds()]):
                cursor.execute(sql)
        article_ids = list(Article.objects.values_list("pk", flat=True))
        derived.refresh_participants(article_ids)
        derived.bump_generation()  # rows written without signals
        search_index.rebuild(progress=None)
        with derived.batch():  # the quotes' dates, and the copies of one text once the signatures are all in
            derived.touched(article_ids, participants=False, index=False, dates=True, copies=True)
            for article in Article.objects.only("pk", "title", "body"):
                index_text(article, new=True)
    return counts

"""Reading reports in: plain-text files and JSON Lines, each file whole or not at all.

`import_path` is what `manage.py import_articles` calls for every file it is
given. A file is parsed and checked completely before anything is written, and
then written in one transaction, so a bad file leaves nothing behind.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Source, content_hash
from articles.slugs import unique_slug

SUFFIXES = (".txt", ".jsonl")
JSONL_FIELDS = {"title", "body", "source", "published", "language", "url", "byline"}

# `المصدر / الوقت`, `المصدر: رويترز`, `المصدر - الجزيرة` and the like, on the last line.
SOURCE_LINE = re.compile(r"^\s*المصدر\s*[/:：\-–—|]\s*(?P<name>\S.*?)\s*$")


class BadImport(ValueError):
    """A file that cannot go in; the message names the problem (the path is added by the caller)."""


@dataclass
class ParsedArticle:
    title: str
    body: str
    source: str = ""
    published: datetime.date | None = None
    language: str = "ar"
    url: str = ""
    byline: str = ""


@dataclass
class FileResult:
    path: str
    status: str  # created | unchanged | error
    ids: list = field(default_factory=list)
    error: str | None = None

    def as_json(self):
        return {"path": self.path, "status": self.status, "ids": self.ids, "error": self.error}


def decode(data):
    """Bytes of a report to text: UTF-8 with or without a byte-order mark, LF or CRLF."""
    if not data.strip():
        raise BadImport("the file is empty")
    if b"\x00" in data:
        raise BadImport("the file is binary (it contains NUL bytes), not UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadImport(
            f"the file is not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be decoded"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_text_report(text):
    """A plain-text report: title line, one paragraph a line, and an optional source line last."""
    lines = [line.rstrip() for line in text.split("\n")]
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise BadImport("the file is empty")
    source = ""
    match = SOURCE_LINE.match(lines[-1])
    if match:
        source = match.group("name")
        lines.pop()
    if not lines:
        raise BadImport("no title: the file holds only a source line")
    if SOURCE_LINE.match(lines[0]):
        raise BadImport("no title: the first line is a source line")
    title, body_lines = lines[0].strip(), lines[1:]
    if not body_lines:
        raise BadImport("no body: the file has a title line and nothing after it")
    return ParsedArticle(title=title, body="\n".join(body_lines), source=source)


def parse_date(value, what):
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadImport(f"{what} must be an ISO date string (YYYY-MM-DD), not {type(value).__name__}")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BadImport(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


def _string(obj, key, where, required=False):
    value = obj.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadImport(f"{where}: '{key}' must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise BadImport(f"{where}: no {key}")
    return value


def parse_jsonl(text):
    articles = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadImport(f"{where}: malformed JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise BadImport(f"{where}: expected a JSON object, found {type(obj).__name__}")
        unknown = set(obj) - JSONL_FIELDS
        if unknown:
            raise BadImport(
                f"{where}: unknown field(s) {', '.join(sorted(unknown))}; "
                f"known fields are {', '.join(sorted(JSONL_FIELDS))}"
            )
        title = _string(obj, "title", where, required=True).strip()
        body = "\n".join(
            line.rstrip() for line in _string(obj, "body", where, required=True).replace("\r\n", "\n").split("\n")
        ).strip("\n")
        if not body.strip():
            raise BadImport(f"{where}: no body")
        articles.append(
            ParsedArticle(
                title=title,
                body=body,
                source=_string(obj, "source", where).strip(),
                published=parse_date(obj.get("published"), f"{where}: published"),
                language=_string(obj, "language", where).strip() or "ar",
                url=_string(obj, "url", where).strip(),
                byline=_string(obj, "byline", where).strip(),
            )
        )
    if not articles:
        raise BadImport("the file is empty: no JSON object on any line")
    return articles


def read_file(path):
    """Parse one file into articles, or raise BadImport saying what is wrong with it."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise BadImport(f"unsupported file type {path.suffix or '(none)'}: expected .txt or .jsonl")
    try:
        size = path.stat().st_size
        limit = settings.ARTICLE_IMPORT_MAX_BYTES
        if size > limit:
            raise BadImport(f"the file is {size:,} bytes, over the limit of {limit:,} bytes")
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadImport("no such file") from None
    except IsADirectoryError:
        raise BadImport("is a folder, not a file") from None
    except PermissionError:
        raise BadImport("cannot be read (permission denied)") from None
    text = decode(data)
    if path.suffix.lower() == ".jsonl":
        return parse_jsonl(text)
    return [parse_text_report(text)]


def source_named(name, *, english=""):
    """The Source called `name` in either language, created if the archive has none.

    A new source's slug comes from its English name when one is given, else from `name`
    (`articles.slugs`: Arabic letters stay Arabic).
    """
    source = Source.objects.filter(name_ar=name).first() or Source.objects.filter(name_en__iexact=name).first()
    if source:
        return source
    arabic = any("\u0600" <= ch <= "\u06ff" for ch in name)
    name_ar, name_en = (name, english) if arabic else ("", name)
    return Source.objects.create(name_ar=name_ar, name_en=name_en, slug=unique_slug(Source, name_en, name_ar))


def save_articles(parsed, *, status=Article.Status.DRAFT, default_source="", user=None):
    """Write parsed articles (call inside a transaction). Returns (ids, created_any)."""
    ids, created_any = [], False
    for item in parsed:
        existing = Article.objects.filter(content_hash=content_hash(item.title, item.body)).first()
        if existing:
            ids.append(existing.pk)
            continue
        source_name = item.source or default_source
        now = timezone.now()
        published = status == Article.Status.PUBLISHED
        article = Article.objects.create(
            title=item.title,
            body=item.body,
            source=source_named(source_name) if source_name else None,
            published=item.published,
            language=item.language,
            url=item.url,
            byline=item.byline,
            status=status,
            imported_by=user,
            published_by=user if published else None,
            published_at=now if published else None,
        )
        ids.append(article.pk)
        created_any = True
    return ids, created_any


def import_file(path, *, status=Article.Status.DRAFT, default_source="", user=None):
    """Import one file whole or not at all; never raises for bad input, reports it instead."""
    try:
        parsed = read_file(path)
        with transaction.atomic():
            ids, created = save_articles(parsed, status=status, default_source=default_source, user=user)
    except BadImport as exc:
        return FileResult(path=str(path), status="error", error=f"{path}: {exc}")
    return FileResult(path=str(path), status="created" if created else "unchanged", ids=ids)


def expand_paths(paths):
    """Files named, and the .txt/.jsonl files inside folders named, in a stable order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path

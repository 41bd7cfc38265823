"""Reading reports in: plain-text files and JSON Lines, parsed and checked before anything is written.

`read_file` turns one file into `ParsedArticle`s and warnings, or raises
`BadImport` naming the problem and where it is. Writing them is the action
`articles.actions.import_file`, one transaction a file, so a bad file leaves
nothing behind.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura
from django.conf import settings

from articles.models import normalize_newlines

SUFFIXES = (".txt", ".jsonl", ".html", ".htm")
JSONL_FIELDS = {"title", "body", "source", "published", "language", "url", "byline"}

# `المصدر / الوقت`, `المصدر: رويترز`, `المصدر - الجزيرة`, `Source: Reuters` and the like, on the last line.
SOURCE_LINE = re.compile(r"^\s*(?:المصدر|source)\s*[/:：\-–—|]\s*(?P<name>\S.*?)\s*$", re.IGNORECASE)
# The longest last line that can be a bare outlet's name (`الحياة`, `سكاي نيوز عربية`).
SOURCE_NAME_MAX_LENGTH = 80


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
    where: str = ""  # where it is in its file ("line 3" of a JSON Lines file), for messages
    source_other: str = ""  # the source's name in the other language, when the file gives it


@dataclass
class FileResult:
    path: str
    status: str  # created | unchanged | error
    ids: list = field(default_factory=list)
    error: str | None = None
    warnings: list = field(default_factory=list)
    # the report this file probably is a new version of (same title and source, other text)
    probable_version_of: int | None = None

    def as_json(self):
        """PRODUCT.md's four keys; `warnings` and `probable_version_of` only when there is something to say."""
        data = {"path": self.path, "status": self.status, "ids": self.ids, "error": self.error}
        if self.warnings:
            data["warnings"] = self.warnings
        if self.probable_version_of is not None:
            data["probable_version_of"] = self.probable_version_of
        return data


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
    return normalize_newlines(text)


def parse_text_report(text, *, known_source=lambda name: False, warnings=None):
    """A plain-text report: title line, one paragraph a line, and an optional source line last.

    The last line is the source when it is marked as one (`المصدر: …`, `Source - …`),
    or when it is exactly the name of a source the archive knows (`known_source(line)`).
    Otherwise it stays in the body, and a warning saying so is added to `warnings`.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise BadImport("the file is empty")
    source = ""
    last = lines[-1].strip()
    match = SOURCE_LINE.match(last)
    if match:
        source = match.group("name")
        lines.pop()
    elif len(lines) > 2 and len(last) <= SOURCE_NAME_MAX_LENGTH and known_source(last):
        source = last
        lines.pop()
    elif warnings is not None and len(lines) > 2:
        warnings.append(
            f"the last line ({last[:60]!r}) was kept in the body: it is not marked as a source line "
            "('المصدر: …' or 'Source: …') and is not the name of a known source"
        )
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
    check_text(value, f"{where}: '{key}'")
    return value


def check_text(value, where):
    """Text a database can store: no NUL character, no lone surrogate (JSON's `\\u0000`, `\\ud800`)."""
    if "\x00" in value:
        raise BadImport(f"{where} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadImport(
            f"{where} contains a lone surrogate (U+{ord(value[exc.start]):04X}) at character {exc.start}, "
            "which is not text"
        ) from None


def parse_jsonl(text):
    """The reports of a JSON Lines file's text (an upload), one a non-blank line."""
    articles = [
        report for number, line in enumerate(text.split("\n"), start=1) if (report := jsonl_report(line, number))
    ]
    if not articles:
        raise BadImport("the file is empty: no JSON object on any line")
    return articles


def jsonl_report(line, number):
    """The report on line `number` of a JSON Lines file, or None for a blank line."""
    if not line.strip():
        return None
    where = f"line {number}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadImport(f"{where}: malformed JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise BadImport(f"{where}: the JSON is nested too deeply") from None
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
    return ParsedArticle(
        title=title,
        body=body,
        source=_string(obj, "source", where).strip(),
        published=parse_date(obj.get("published"), f"{where}: published"),
        language=_string(obj, "language", where).strip() or "ar",
        url=_string(obj, "url", where).strip(),
        byline=_string(obj, "byline", where).strip(),
        where=where,
    )


class JsonLinesFile:
    """A JSON Lines file on disk, read a line at a time, so a file of any size is never held in memory.

    Opening it reads it through once, checking every line as `parse_jsonl` would (the first bad one
    raises `BadImport` naming it) and counting the reports, before anything is written; iterating reads
    it again, yielding `ParsedArticle`s. The file is not bound by `ARTICLE_IMPORT_MAX_BYTES`, the limit on
    what an upload holds in memory at once; each of its lines (one report) is.
    """

    def __init__(self, path, *, max_line_bytes=None):
        self.path = Path(path)
        self.max_line_bytes = settings.ARTICLE_IMPORT_MAX_BYTES if max_line_bytes is None else max_line_bytes
        self.count = sum(1 for _report in self)
        if not self.count:
            raise BadImport("the file is empty: no JSON object on any line")

    def __len__(self):
        return self.count

    def __iter__(self):
        number, offset, anything = 0, 0, False
        with self.path.open("rb") as stream:
            for raw in stream:
                if offset == 0 and raw.startswith(BOM):
                    raw, offset = raw[len(BOM) :], len(BOM)
                where = f"line {number + 1}"
                if len(raw) > self.max_line_bytes:
                    raise BadImport(f"{where} is {len(raw):,} bytes, over the limit of {self.max_line_bytes:,} bytes")
                if b"\x00" in raw:
                    raise BadImport(f"{where}: the file is binary (it contains NUL bytes), not UTF-8 text")
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise BadImport(
                        f"{where}: the file is not UTF-8: byte 0x{raw[exc.start]:02x} at offset {offset + exc.start} "
                        "cannot be decoded"
                    ) from None
                offset += len(raw)
                anything = anything or bool(raw.strip())
                lines = normalize_newlines(text).split("\n")  # as `decode` reads the whole file: a CR ends a line
                if lines[-1] == "" and len(lines) > 1:
                    lines.pop()  # the line's own end
                for line in lines:
                    number += 1
                    report = jsonl_report(line, number)
                    if report is not None:
                        yield report
        if not anything:
            raise BadImport("the file is empty")


BOM = b"\xef\xbb\xbf"


def parse_html_page(text):
    """A saved web page: the article's text extracted by trafilatura, its title, date, byline and outlet
    from the page's metadata (Open Graph, schema.org, meta tags). One paragraph a line, as printed."""
    try:
        document = trafilatura.bare_extraction(text, with_metadata=True, favor_precision=True, include_comments=False)
    except (ValueError, TypeError):  # pragma: no cover - trafilatura refuses what is not HTML at all
        document = None
    found = document.as_dict() if document is not None else {}
    title = " ".join((found.get("title") or "").split())
    lines = [line.strip() for line in (found.get("text") or "").split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # the page's heading, already the title
    if not title:
        raise BadImport("no title: the page names none (no <title>, og:title or heading)")
    if not lines:
        raise BadImport("no article text could be found in the page")
    url = found.get("url") or ""
    return ParsedArticle(
        title=title,
        body="\n".join(lines),
        source=(found.get("sitename") or "").strip(),
        published=parse_date(found.get("date"), "the page's date"),
        url=url if url.startswith(("http://", "https://")) else "",
        byline=(found.get("author") or "").strip().replace(";", "،"),
    )


def read_file(path, *, known_source=lambda name: False, warnings=None):
    """Parse one file on disk into articles, or raise BadImport saying what is wrong with it.

    A JSON Lines file is read a line at a time (`JsonLinesFile`): any size, each line at most
    `ARTICLE_IMPORT_MAX_BYTES`. Any other file is one report, read whole, at most that size.
    `known_source` and `warnings` are those of `parse_text_report`.
    """
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        return parse_bytes(path.name, b"")  # refused, naming the type
    try:
        if path.suffix.lower() == ".jsonl":
            return JsonLinesFile(path)
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
    return parse_bytes(path.name, data, known_source=known_source, warnings=warnings)


def parse_bytes(name, data, *, known_source=lambda name: False, warnings=None):
    """The reports in a file called `name` holding `data` (an upload, or a file read from disk)."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise BadImport(f"unsupported file type {suffix or '(none)'}: expected .txt, .jsonl or .html")
    if len(data) > settings.ARTICLE_IMPORT_MAX_BYTES:
        raise BadImport(
            f"the file is {len(data):,} bytes, over the limit of {settings.ARTICLE_IMPORT_MAX_BYTES:,} bytes"
        )
    text = decode(data)
    if suffix == ".jsonl":
        return parse_jsonl(text)
    if suffix in (".html", ".htm"):
        return [parse_html_page(text)]
    return [parse_text_report(text, known_source=known_source, warnings=warnings)]


def expand_paths(paths):
    """Files named, and the .txt, .jsonl and .html files inside folders named, in a stable order."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path

"""Records JSON in: participants, places, topics, meetings, agreements, and an annotated article.

The shape is that of the seed's `kerry-moscow-2016.annotations.json`. Records
are keyed by `key` (their slug), so loading a file twice changes nothing. The
whole file is read and checked first (`read_records`); any error (an unknown
key, a bad date or country code, a quote whose text is not in the body) is
reported with where it is, and nothing of the file is written. Writing the
checked plan is the action `articles.actions.load_records`.
"""

import datetime
import json
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from articles.importing import BadImport, ParsedArticle, decode, parse_text_report
from articles.models import Quote
from diplomacy.countries import is_country_code
from diplomacy.models import (
    Agreement,
    AgreementParty,
    DatePrecision,
    Meeting,
    Office,
    Participant,
    Participation,
    Place,
    Topic,
)


class RecordsError(ValueError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Checker:
    """Collects every problem in a file rather than stopping at the first."""

    def __init__(self):
        self.problems = []

    def fail(self, where, message):
        self.problems.append(f"{where}: {message}")

    def date(self, obj, name, where, required=False):
        value = obj.get(name)
        if value in (None, ""):
            if required:
                self.fail(where, f"'{name}' is required (YYYY-MM-DD)")
            return None
        try:
            return datetime.date.fromisoformat(value) if isinstance(value, str) else _raise()
        except (ValueError, TypeError):
            self.fail(where, f"'{name}' {value!r} is not a date (YYYY-MM-DD)")
            return None

    def country(self, obj, where):
        value = obj.get("country") or ""
        if value and not (isinstance(value, str) and is_country_code(value)):
            self.fail(where, f"country {value!r} is not an ISO 3166 alpha-2 code (such as SY)")
            return ""
        return value

    def choice(self, value, choices, where, what):
        allowed = [c for c, _ in choices]
        if value not in allowed:
            self.fail(where, f"{what} {value!r} is not one of {', '.join(allowed)}")
        return value

    def text(self, obj, name, where, required=False):
        value = obj.get(name) or ""
        if not isinstance(value, str):
            self.fail(where, f"'{name}' must be a string")
            return ""
        if required and not value.strip():
            self.fail(where, f"'{name}' is required")
        return value.strip()

    def model(self, model, values, where):
        """The model's own rules (field validators, `clean()`) for the values read, each named with `where`.

        Only when reading the values found nothing wrong there: a value already refused is not refused twice.
        Relations are checked above by key; unique keys update rather than clash.
        """
        if any(problem.startswith(f"{where}: ") for problem in self.problems):
            return
        instance = model(**{k: v for k, v in values.items() if not model._meta.get_field(k).is_relation})
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        try:
            instance.full_clean(exclude=[*relations, "slug"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.fail(where, message if field == NON_FIELD_ERRORS else f"{field}: {message}")

    def key(self, obj, where):
        value = obj.get("key")
        if (
            not isinstance(value, str)
            or not value
            or not value.replace("-", "").replace("_", "").isalnum()
            or not value.isascii()
        ):
            self.fail(where, f"'key' {value!r} must be a slug (ASCII letters, digits, - and _)")
            return None
        return value


def _raise():
    raise TypeError


def _list(obj, name):
    value = obj.get(name) or []
    return value if isinstance(value, list) else []


def _entries(data, name, checker):
    value = data.get(name) or []
    if not isinstance(value, list):
        checker.fail(name, "must be a list")
        return []
    good = []
    for index, item in enumerate(value):
        if isinstance(item, dict):
            good.append(item)
        else:
            checker.fail(f"{name}[{index}]", "must be an object")
    return good


def read_records(path):
    """Read and check a records JSON file: the plan `actions.load_records` writes.

    Raises RecordsError with every problem found, each naming where it is.
    """
    path = Path(path)
    try:
        data = json.loads(decode(path.read_bytes()))
    except FileNotFoundError:
        raise RecordsError([f"{path}: no such file"]) from None
    except BadImport as exc:
        raise RecordsError([f"{path}: {exc}"]) from None
    except json.JSONDecodeError as exc:
        raise RecordsError([f"{path}: malformed JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"]) from None
    except RecursionError:
        raise RecordsError([f"{path}: the JSON is nested too deeply"]) from None
    except (IsADirectoryError, PermissionError) as exc:
        raise RecordsError([f"{path}: cannot be read ({exc.strerror})"]) from None
    if not isinstance(data, dict):
        raise RecordsError([f"{path}: expected a JSON object at the top"])

    return _check(data, path)


def _check(data, path):
    c = _Checker()
    plan = {"participants": [], "places": [], "topics": [], "meetings": [], "agreements": [], "article": None}

    for i, p in enumerate(_entries(data, "participants", c)):
        where = f"participants[{i}] ({p.get('key')})"
        key = c.key(p, where)
        offices = []
        for j, o in enumerate(_list(p, "offices")):
            w = f"{where} offices[{j}]"
            office = {
                "title_ar": c.text(o, "title_ar", w, required=True),
                "title_en": c.text(o, "title_en", w),
                "country": c.country(o, w),
                "start": c.date(o, "start", w),
                "end": c.date(o, "end", w),
            }
            c.model(Office, office, w)
            offices.append(office)
        aliases = [(a, "ar") for a in _list(p, "aliases_ar")] + [(a, "en") for a in _list(p, "aliases_en")]
        for name, lang in [(p.get("name_ar"), "ar"), (p.get("name_en"), "en")]:
            if name and name not in [a for a, _ in aliases]:
                aliases.append((name, lang))
        if any(not isinstance(a, str) or not a.strip() for a, _ in aliases):
            c.fail(where, "aliases must be non-empty strings")
        wikidata = c.text(p, "wikidata", where)
        plan["participants"].append(
            {
                "key": key,
                "values": {
                    "kind": c.choice(p.get("kind"), Participant.Kind.choices, where, "kind"),
                    "name_ar": c.text(p, "name_ar", where, required=True),
                    "name_en": c.text(p, "name_en", where),
                    "country": c.country(p, where),
                    "wikidata_id": wikidata,
                    "description": c.text(p, "description", where),
                },
                "aliases": aliases,
                "offices": offices,
            }
        )
        c.model(Participant, plan["participants"][-1]["values"], where)
    for name, model in (("places", Place), ("topics", Topic)):
        for i, p in enumerate(_entries(data, name, c)):
            where = f"{name}[{i}] ({p.get('key')})"
            values = {"name_ar": c.text(p, "name_ar", where, required=True), "name_en": c.text(p, "name_en", where)}
            if model is Place:
                values["country"] = c.country(p, where)
                for coord in ("latitude", "longitude"):
                    value = p.get(coord)
                    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                        c.fail(where, f"{coord} {value!r} is not a number")
                        value = None
                    values[coord] = value
            c.model(model, values, where)
            plan[name].append({"key": c.key(p, where), "values": values})

    keys = {kind: {item["key"] for item in plan[kind]} for kind in ("participants", "places", "topics")}
    keys["meetings"] = {m.get("key") for m in data.get("meetings") or [] if isinstance(m, dict)}
    keys["agreements"] = {a.get("key") for a in data.get("agreements") or [] if isinstance(a, dict)}

    in_archive = {}  # (model, key) → whether the archive has it: each looked up once

    def known(kind, model, key, where, what):
        if isinstance(key, str) and key not in keys[kind] and (model, key) not in in_archive:
            in_archive[model, key] = model.objects.filter(slug=key).exists()
        if not isinstance(key, str) or not (key in keys[kind] or in_archive[model, key]):
            c.fail(where, f"{what} {key!r} is not a known {kind[:-1]} (not in this file nor in the archive)")

    for i, m in enumerate(_entries(data, "meetings", c)):
        where = f"meetings[{i}] ({m.get('key')})"
        start, end = c.date(m, "start", where, required=True), c.date(m, "end", where)
        if start and end and end < start:
            c.fail(where, f"ends ({end}) before it starts ({start})")
        for ref, kind, model in (("place", "places", Place), ("part_of", "meetings", Meeting)):
            if m.get(ref):
                known(kind, model, m[ref], where, ref)
        if m.get("part_of") and m.get("part_of") == m.get("key"):
            c.fail(where, "a meeting cannot be part of itself")
        people = []
        for j, who in enumerate(_list(m, "participants")):
            w = f"{where} participants[{j}]"
            known("participants", Participant, who.get("who"), w, "participant")
            people.append(
                (who.get("who"), c.choice(who.get("role", "attendee"), Participation.Role.choices, w, "role"))
            )
        for t in _list(m, "topics"):
            known("topics", Topic, t, where, "topic")
        cameo = c.text(m, "cameo", where)
        plan["meetings"].append(
            {
                "key": c.key(m, where),
                "part_of": m.get("part_of"),
                "place": m.get("place"),
                "people": people,
                "topics": _list(m, "topics"),
                "values": {
                    "kind": c.choice(m.get("kind"), Meeting.Kind.choices, where, "kind"),
                    "title_ar": c.text(m, "title_ar", where, required=True),
                    "title_en": c.text(m, "title_en", where),
                    "start": start,
                    "end": end,
                    "cameo_code": cameo,
                    "note": c.text(m, "note", where),
                    "date_precision": c.choice(m.get("precision", "day"), DatePrecision.choices, where, "precision"),
                },
            }
        )
        c.model(Meeting, plan["meetings"][-1]["values"], where)

    for i, a in enumerate(_entries(data, "agreements", c)):
        where = f"agreements[{i}] ({a.get('key')})"
        dates = {name: c.date(a, name, where) for name in ("announced", "signed", "effective", "ended")}
        parties = []
        for j, party in enumerate(_list(a, "parties")):
            w = f"{where} parties[{j}]"
            known("participants", Participant, party.get("who"), w, "party")
            parties.append(
                (party.get("who"), c.choice(party.get("role", "party"), AgreementParty.Role.choices, w, "role"))
            )
        for m in _list(a, "negotiated_at"):
            known("meetings", Meeting, m, where, "meeting")
        for t in _list(a, "topics"):
            known("topics", Topic, t, where, "topic")
        plan["agreements"].append(
            {
                "key": c.key(a, where),
                "parties": parties,
                "negotiated_at": _list(a, "negotiated_at"),
                "topics": _list(a, "topics"),
                "values": {
                    "kind": c.choice(a.get("kind"), Agreement.Kind.choices, where, "kind"),
                    "status": c.choice(a.get("status"), Agreement.Status.choices, where, "status"),
                    "title_ar": c.text(a, "title_ar", where, required=True),
                    "title_en": c.text(a, "title_en", where),
                    "pax_id": c.text(a, "pax_id", where),
                    "note": c.text(a, "note", where),
                    **dates,
                },
            }
        )
        c.model(Agreement, plan["agreements"][-1]["values"], where)

    article = data.get("article")
    if article is not None:
        plan["article"] = _check_article(article, data, path, c, keys, known)

    if c.problems:
        raise RecordsError([f"{path}: {problem}" for problem in c.problems])
    return plan


def _check_article(article, data, path, c, keys, known):
    where = "article"
    if not isinstance(article, dict):
        c.fail(where, "must be an object")
        return None
    if article.get("file"):
        if not isinstance(article["file"], str):
            c.fail(where, "'file' must be a string: the name of a .txt file beside the records file")
            return None
        text_path = (path.parent / article["file"]).resolve()
        if not text_path.is_relative_to(path.parent.resolve()):
            c.fail(where, f"file {article['file']!r} is outside the records file's folder; it is not read")
            return None
        try:
            parsed = parse_text_report(decode(text_path.read_bytes()))
        except (FileNotFoundError, IsADirectoryError):
            c.fail(where, f"file {article['file']!r} not found beside {path.name}")
            return None
        except BadImport as exc:
            c.fail(where, f"file {article['file']!r}: {exc}")
            return None
    else:
        body = c.text(article, "body", where, required=True)
        parsed = ParsedArticle(title=c.text(article, "title", where, required=True), body=body)
    if article.get("title") and article["title"] != parsed.title:
        c.fail(where, f"title {article['title']!r} differs from the file's title {parsed.title!r}")
    source = article.get("source")
    if isinstance(source, dict):
        parsed.source = source.get("name_ar") or source.get("name_en") or parsed.source
        parsed.source_other = (source.get("name_en") or "") if source.get("name_ar") else ""
    elif isinstance(source, str) and source:
        parsed.source = source
    parsed.published = c.date(article, "published", where)
    parsed.language = article.get("language") or "ar"
    parsed.url, parsed.byline = c.text(article, "url", where), c.text(article, "byline", where)

    quotes = []
    for i, q in enumerate(_list(data, "quotes") or _list(article, "quotes")):
        w = f"quotes[{i}]"
        text = q.get("text") or ""
        occurrence = q.get("occurrence", 0)
        start = _nth(parsed.body, text, occurrence) if text and isinstance(occurrence, int) else -1
        if start < 0:
            c.fail(w, f"text {text[:40]!r}… (occurrence {occurrence}) is not in the article body")
        for ref in ("speaker", "addressee"):
            if q.get(ref):
                known("participants", Participant, q[ref], w, ref)
        if q.get("meeting"):
            known("meetings", Meeting, q["meeting"], w, "meeting")
        quotes.append(
            {
                "start": start,
                "end": start + len(text),
                "text": text,
                "speaker": q.get("speaker"),
                "addressee": q.get("addressee"),
                "meeting": q.get("meeting"),
                "kind": c.choice(q.get("kind", "direct"), Quote.Kind.choices, w, "kind"),
                "translation_en": q.get("translation_en") or "",
            }
        )
    mentions = _check_mentions(data, parsed.body, c, known)
    approximate = _check_approximate_date(article, parsed, c)
    covers = {}
    for name, model in (("meetings", Meeting), ("agreements", Agreement), ("topics", Topic)):
        listed = article.get(name)
        if listed is None:  # an article in a records file covers the records the file holds
            covers[name] = [item.get("key") for item in data.get(name) or [] if isinstance(item, dict)]
            continue
        covers[name] = listed if isinstance(listed, list) else []
        for key in covers[name]:
            known(name, model, key, where, name[:-1])
    evidence = []
    for i, e in enumerate(_list(data, "evidence")):
        w = f"evidence[{i}]"
        if not isinstance(e, dict):
            c.fail(w, "must be an object")
            continue
        item = {"text": c.text(e, "text", w, required=True), "field": c.text(e, "field", w, required=True)}
        if item["text"] and item["text"] not in parsed.body:
            c.fail(w, f"text {item['text'][:40]!r} is not in the article body")
        for ref, kind, model in (
            ("meeting", "meetings", Meeting),
            ("agreement", "agreements", Agreement),
            ("participant", "participants", Participant),
        ):
            if e.get(ref):
                known(kind, model, e[ref], w, ref)
                item[ref] = e[ref]
        if isinstance(e.get("occurrence"), int):
            item["occurrence"] = e["occurrence"]
        evidence.append(item)
    return {
        "parsed": parsed,
        "quotes": quotes,
        "mentions": mentions,
        "approximate": approximate,
        "covers": covers,
        "source": source,
        "evidence": evidence,
    }


def _check_approximate_date(article, parsed, c):
    """`"approximate_date": {"date": "YYYY-MM-DD", "precision": "day|month|year", "basis": "..."}`, for a
    report that prints no date (see Article.approximate_date)."""
    value = article.get("approximate_date")
    where = "article approximate_date"
    if value is None:
        return {}
    if not isinstance(value, dict):
        c.fail(where, "must be an object with date, precision and basis")
        return {}
    if parsed.published is not None:
        c.fail(where, "is only for a report without a publication date ('published')")
    return {
        "approximate_date": c.date(value, "date", where, required=True),
        "approximate_precision": c.choice(value.get("precision", "year"), DatePrecision.choices, where, "precision"),
        "approximate_basis": c.text(value, "basis", where),
    }


def _check_mentions(data, body, c, known):
    """`"mentions": [{"text": "...", "occurrence": 0, "participant": "key"}]` (or `"place": "key"`): names an
    editor linked, found in the body as quotes are (`occurrence` counts earlier appearances of the text)."""
    mentions = []
    for i, m in enumerate(_entries(data, "mentions", c)):
        w = f"mentions[{i}]"
        text, occurrence = m.get("text") or "", m.get("occurrence", 0)
        start = _nth(body, text, occurrence) if isinstance(text, str) and text and isinstance(occurrence, int) else -1
        if start < 0:
            c.fail(w, f"text {str(text)[:40]!r} (occurrence {occurrence}) is not in the article body")
        targets = [name for name in ("participant", "place") if m.get(name)]
        if len(targets) != 1:
            c.fail(w, "names exactly one 'participant' or 'place'")
            continue
        target = targets[0]
        known(f"{target}s", Participant if target == "participant" else Place, m[target], w, target)
        mentions.append({"start": start, "end": start + len(text), "text": text, "target": target, "key": m[target]})
    return mentions


def _nth(body, text, n):
    start = -1
    for _ in range(n + 1):
        start = body.find(text, start + 1)
        if start < 0:
            return -1
    return start

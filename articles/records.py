"""Records JSON in: participants, places, topics, meetings, agreements, and an annotated article.

The shape is that of the seed's `kerry-moscow-2016.annotations.json`. Records
are keyed by `key` (their slug), so loading a file twice changes nothing. The
whole file is checked first; any error (an unknown key, a bad date or country
code, a quote whose text is not in the body) is reported with where it is, and
nothing of the file is written.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from articles.importing import BadImport, decode, parse_text_report, save_articles, source_named
from articles.models import Article, Mention, Quote
from diplomacy.countries import is_country_code
from diplomacy.models import (
    Agreement,
    AgreementParty,
    DatePrecision,
    Meeting,
    Office,
    Participant,
    ParticipantAlias,
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


def _save_if_changed(model, lookup, values):
    """get-or-create by `lookup`, saving only when something differs (so history stays quiet)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj, bool(changed)


def load_records(path, *, status=Article.Status.DRAFT, user=None, quotes_only=False):
    """Load a records JSON file. Returns a summary dict; raises RecordsError with every problem.

    `quotes_only=True` loads the article with its quotes but leaves out the editors' later work on it
    (the file's `mentions` and the article's `approximate_date`), as for a report whose names and
    date the toolkit is still to suggest.
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
    if not isinstance(data, dict):
        raise RecordsError([f"{path}: expected a JSON object at the top"])

    plan = _check(data, path)
    if plan["article"] and quotes_only:
        plan["article"]["mentions"], plan["article"]["approximate"] = [], {}
    with transaction.atomic():
        return _write(plan, status=status, user=user)


def _check(data, path):
    c = _Checker()
    plan = {"participants": [], "places": [], "topics": [], "meetings": [], "agreements": [], "article": None}

    for i, p in enumerate(_entries(data, "participants", c)):
        where = f"participants[{i}] ({p.get('key')})"
        key = c.key(p, where)
        offices = []
        for j, o in enumerate(_list(p, "offices")):
            w = f"{where} offices[{j}]"
            start, end = c.date(o, "start", w), c.date(o, "end", w)
            if start and end and end < start:
                c.fail(w, f"ends ({end}) before it starts ({start})")
            offices.append(
                {
                    "title_ar": c.text(o, "title_ar", w, required=True),
                    "title_en": c.text(o, "title_en", w),
                    "country": c.country(o, w),
                    "start": start,
                    "end": end,
                }
            )
        aliases = [(a, "ar") for a in _list(p, "aliases_ar")] + [(a, "en") for a in _list(p, "aliases_en")]
        for name, lang in [(p.get("name_ar"), "ar"), (p.get("name_en"), "en")]:
            if name and name not in [a for a, _ in aliases]:
                aliases.append((name, lang))
        if any(not isinstance(a, str) or not a.strip() for a, _ in aliases):
            c.fail(where, "aliases must be non-empty strings")
        wikidata = c.text(p, "wikidata", where)
        if wikidata and not (wikidata[:1] == "Q" and wikidata[1:].isdigit()):
            c.fail(where, f"wikidata {wikidata!r} is not a Wikidata id such as Q22316")
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
    for name, model in (("places", Place), ("topics", Topic)):
        for i, p in enumerate(_entries(data, name, c)):
            where = f"{name}[{i}] ({p.get('key')})"
            values = {"name_ar": c.text(p, "name_ar", where, required=True), "name_en": c.text(p, "name_en", where)}
            if model is Place:
                values["country"] = c.country(p, where)
                for coord, bound in (("latitude", 90), ("longitude", 180)):
                    value = p.get(coord)
                    if value is not None and not (isinstance(value, int | float) and -bound <= value <= bound):
                        c.fail(where, f"{coord} {value!r} is not a number between -{bound} and {bound}")
                        value = None
                    values[coord] = value
            plan[name].append({"key": c.key(p, where), "values": values})

    keys = {kind: {item["key"] for item in plan[kind]} for kind in ("participants", "places", "topics")}
    keys["meetings"] = {m.get("key") for m in data.get("meetings") or [] if isinstance(m, dict)}
    keys["agreements"] = {a.get("key") for a in data.get("agreements") or [] if isinstance(a, dict)}

    def known(kind, model, key, where, what):
        if not isinstance(key, str) or not (key in keys[kind] or model.objects.filter(slug=key).exists()):
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
        if cameo and not (cameo.isdigit() and len(cameo) <= 4):
            c.fail(where, f"cameo {cameo!r} is not a CAMEO code (up to four digits)")
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

    for i, a in enumerate(_entries(data, "agreements", c)):
        where = f"agreements[{i}] ({a.get('key')})"
        dates = {name: c.date(a, name, where) for name in ("announced", "signed", "effective", "ended")}
        for name in ("announced", "signed", "effective"):
            if dates["ended"] and dates[name] and dates["ended"] < dates[name]:
                c.fail(where, f"ended ({dates['ended']}) before it was {name} ({dates[name]})")
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
        text_path = path.parent / article["file"]
        try:
            parsed = parse_text_report(decode(text_path.read_bytes()))
        except FileNotFoundError:
            c.fail(where, f"file {article['file']!r} not found beside {path.name}")
            return None
        except BadImport as exc:
            c.fail(where, f"file {article['file']!r}: {exc}")
            return None
    else:
        from articles.importing import ParsedArticle

        body = c.text(article, "body", where, required=True)
        parsed = ParsedArticle(title=c.text(article, "title", where, required=True), body=body)
    if article.get("title") and article["title"] != parsed.title:
        c.fail(where, f"title {article['title']!r} differs from the file's title {parsed.title!r}")
    source = article.get("source")
    if isinstance(source, dict):
        parsed.source = source.get("name_ar") or source.get("name_en") or parsed.source
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
    return {
        "parsed": parsed,
        "quotes": quotes,
        "mentions": mentions,
        "approximate": approximate,
        "covers": covers,
        "source": source,
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


def _write(plan, *, status, user):
    summary = {
        "participants": 0,
        "places": 0,
        "topics": 0,
        "meetings": 0,
        "agreements": 0,
        "quotes": 0,
        "article": None,
        "changed": 0,
    }
    for item in plan["participants"]:
        participant, changed = _save_if_changed(Participant, {"slug": item["key"]}, item["values"])
        summary["changed"] += changed
        for name, language in item["aliases"]:
            _, created = ParticipantAlias.objects.get_or_create(
                participant=participant, name=name.strip(), defaults={"language": language}
            )
            summary["changed"] += created
        for office in item["offices"]:
            lookup = {"participant": participant, "title_ar": office["title_ar"], "start": office["start"]}
            _, changed = _save_if_changed(Office, lookup, {k: office[k] for k in ("title_en", "country", "end")})
            summary["changed"] += changed
        summary["participants"] += 1
    for name, model in (("places", Place), ("topics", Topic)):
        for item in plan[name]:
            _, changed = _save_if_changed(model, {"slug": item["key"]}, item["values"])
            summary["changed"] += changed
            summary[name] += 1

    meetings = {}
    for item in plan["meetings"]:
        values = dict(item["values"], place=Place.objects.get(slug=item["place"]) if item["place"] else None)
        meeting, changed = _save_if_changed(Meeting, {"slug": item["key"]}, values)
        meetings[item["key"]] = meeting
        summary["changed"] += changed
        for who, role in item["people"]:
            _, changed = _save_if_changed(
                Participation, {"meeting": meeting, "participant": Participant.objects.get(slug=who)}, {"role": role}
            )
            summary["changed"] += changed
        _add_missing(meeting.topics, Topic.objects.filter(slug__in=item["topics"]))
        summary["meetings"] += 1
    for item in plan["meetings"]:  # part_of may name a meeting defined later in the file
        parent = Meeting.objects.get(slug=item["part_of"]) if item["part_of"] else None
        meeting = meetings[item["key"]]
        if meeting.part_of_id != (parent.pk if parent else None):
            meeting.part_of = parent
            meeting.save(update_fields=["part_of", "updated_at"])
            summary["changed"] += 1

    for item in plan["agreements"]:
        agreement, changed = _save_if_changed(Agreement, {"slug": item["key"]}, item["values"])
        summary["changed"] += changed
        for who, role in item["parties"]:
            _, changed = _save_if_changed(
                AgreementParty,
                {"agreement": agreement, "participant": Participant.objects.get(slug=who)},
                {"role": role},
            )
            summary["changed"] += changed
        _add_missing(agreement.negotiated_at, Meeting.objects.filter(slug__in=item["negotiated_at"]))
        _add_missing(agreement.topics, Topic.objects.filter(slug__in=item["topics"]))
        summary["agreements"] += 1

    if plan["article"]:
        summary["article"] = _write_article(plan["article"], status=status, user=user, summary=summary)
    return summary


def _add_missing(manager, queryset):
    present = set(manager.values_list("pk", flat=True))
    missing = [obj for obj in queryset if obj.pk not in present]
    if missing:
        manager.add(*missing)


def _write_mentions(article, mentions):
    """Create the mentions the file lists that the article lacks; returns how many were created."""
    created = 0
    for m in mentions:
        model = Participant if m["target"] == "participant" else Place
        target = {m["target"]: model.objects.get(slug=m["key"])}
        _, new = Mention.objects.get_or_create(
            article=article, start=m["start"], end=m["end"], **target, defaults={"text": m["text"]}
        )
        created += new
    return created


def _write_article(item, *, status, user, summary):
    parsed = item["parsed"]
    source = item["source"]
    if isinstance(source, dict) and parsed.source:  # named in both languages: the slug reads in Latin letters
        source_named(parsed.source, english=source.get("name_en") or "")
    (article_id,), created = save_articles([parsed], status=status, user=user)
    article = Article.objects.get(pk=article_id)
    summary["changed"] += created
    if isinstance(source, dict) and article.source is None and parsed.source:
        article.source = source_named(parsed.source)
        article.save(update_fields=["source"])
    if isinstance(source, dict) and article.source and source.get("name_en") and not article.source.name_en:
        article.source.name_en = source["name_en"]
        article.source.save(update_fields=["name_en"])
    if article.status != status and status == Article.Status.PUBLISHED:
        article.status = status
        article.published_by, article.published_at = user, timezone.now()
        article.save(update_fields=["status", "published_by", "published_at", "updated_at"])
        summary["changed"] += 1
    _add_missing(article.meetings, Meeting.objects.filter(slug__in=item["covers"]["meetings"]))
    _add_missing(article.agreements, Agreement.objects.filter(slug__in=item["covers"]["agreements"]))
    _add_missing(article.topics, Topic.objects.filter(slug__in=item["covers"]["topics"]))
    if item["approximate"] and any(getattr(article, k) != v for k, v in item["approximate"].items()):
        for name, value in item["approximate"].items():
            setattr(article, name, value)
        article.save(update_fields=[*item["approximate"], "updated_at"])
        summary["changed"] += 1
    summary["changed"] += _write_mentions(article, item["mentions"])
    people = {
        p.slug: p
        for p in Participant.objects.filter(
            slug__in={q[r] for q in item["quotes"] for r in ("speaker", "addressee") if q[r]}
        )
    }
    for q in item["quotes"]:
        values = {
            "text": q["text"],
            "kind": q["kind"],
            "translation_en": q["translation_en"],
            "speaker": people.get(q["speaker"]),
            "addressee": people.get(q["addressee"]),
            "meeting": Meeting.objects.get(slug=q["meeting"]) if q["meeting"] else None,
        }
        _, changed = _save_if_changed(Quote, {"article": article, "start": q["start"], "end": q["end"]}, values)
        summary["changed"] += changed
        summary["quotes"] += 1
    return article.pk

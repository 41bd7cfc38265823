"""Editors' suggestions: what the Arabic toolkit finds in a report and nobody has marked yet.

`suggest_for_article(article)` answers in the shape of PRODUCT.md ("Suggestions"):

    {"mentions": [{"start", "end", "text", "participant" | "place"}],
     "quotes":   [{"start", "end", "text", "speaker", "addressee", "kind", "co_speakers"}],
     "dates":    [{"start", "end", "text", "date", "precision"}],
     "new_participants": [{"start", "end", "text", "title"}]}

`co_speakers` lists the slugs of the others who speak with the speaker
(`أكد كيري ولافروف أن …`), an empty list when none. When the speaker is a
person the records do not know, `speaker` is null, the quote carries
`speaker_name` (the name as printed), and the name is suggested once in
`new_participants`, with the title printed beside it (or ""); that key is
present only when there is someone to suggest.

Mentions are names of participants and places (their Arabic and English names
and aliases); role phrases (`الوزير الأميركي`) are not suggested as mentions,
they only name quote speakers. Speakers are participants of any kind
(people, states, organisations), never places. A suggestion whose span is already annotated
(a Mention or a Quote with the same start and end) is left out.

The alias automaton is built once per process and rebuilt when aliases,
participants, offices or places change: signals bump a version in this
process, and a cheap fingerprint of those tables catches changes made by
other processes.

A report's suggestions are kept in the shared cache (`REDIS_URL`), so the background task
that works them out for newly imported reports (`articles/tasks.py`) saves the annotator the
wait. The key holds everything they depend on: the report's text and date, the spans already
marked, the fingerprint, and a generation number in the cache that the signals raise on every
change to the reference data (a renamed place included, which the fingerprint cannot see).
"""

import hashlib
import threading
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from articles.arabic import AliasMatcher, RoleResolver, find_dates, find_quotes, supported_names
from articles.display import format_date
from articles.models import content_hash
from diplomacy.models import Office, Participant, ParticipantAlias, Place


@dataclass(frozen=True)
class Toolkit:
    """Everything compiled from the reference data, shared by all reports."""

    matcher: AliasMatcher
    roles: RoleResolver


def build_toolkit(participants, aliases, places, offices):
    """Compile the toolkit from plain rows (no database access here).

    `participants`: (slug, name_ar, name_en); `aliases`: (slug, name);
    `places`: (slug, name_ar, name_en); `offices`: (slug, title_ar, country, start, end).
    """
    entries = []
    for slug, name_ar, name_en in participants:
        entries.extend((name, ("participant", slug)) for name in (name_ar, name_en) if name)
    entries.extend((name, ("participant", slug)) for slug, name in aliases if name)
    for slug, name_ar, name_en in places:
        entries.extend((name, ("place", slug)) for name in (name_ar, name_en) if name)
    roles = RoleResolver([(("participant", slug), *rest) for slug, *rest in offices])
    return Toolkit(AliasMatcher(dict.fromkeys(entries)), roles)


def _load_toolkit():
    return build_toolkit(
        Participant.objects.values_list("slug", "name_ar", "name_en").iterator(chunk_size=5000),
        ParticipantAlias.objects.values_list("participant__slug", "name").iterator(chunk_size=5000),
        Place.objects.values_list("slug", "name_ar", "name_en"),
        Office.objects.values_list("participant__slug", "title_ar", "country", "start", "end"),
    )


def _fingerprint():
    """Changes whenever a row that feeds the toolkit is added, edited or removed, in any process.

    One query: the newest history row of participants, aliases and offices
    (every save and delete writes one) and the highest primary key of each
    table (bulk inserts write no history). Place has no history: a renamed
    place is seen at once in this process (signals) and elsewhere on restart.
    """
    quote = connection.ops.quote_name
    metas = [model.history.model._meta for model in (Participant, ParticipantAlias, Office)]
    metas += [model._meta for model in (Participant, ParticipantAlias, Office, Place)]
    parts = [f"(SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)})" for meta in metas]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


_lock = threading.Lock()
_cache = {"version": 0, "key": None, "toolkit": None}


GENERATION_KEY = "suggestions:generation"
CACHE_SECONDS = 24 * 3600


def _bump(**kwargs):
    with _lock:
        _cache["version"] += 1
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache yet
        cache.set(GENERATION_KEY, 1, None)


for _model in (Participant, ParticipantAlias, Office, Place):
    post_save.connect(_bump, sender=_model, dispatch_uid=f"suggestions-{_model.__name__}-save")
    post_delete.connect(_bump, sender=_model, dispatch_uid=f"suggestions-{_model.__name__}-delete")


def get_toolkit(fingerprint=None):
    """The compiled toolkit, rebuilt only when the reference data changed."""
    key = (_cache["version"], fingerprint or _fingerprint())
    toolkit = _cache["toolkit"]
    if toolkit is not None and _cache["key"] == key:
        return toolkit
    toolkit = _load_toolkit()
    with _lock:
        _cache["key"], _cache["toolkit"] = key, toolkit
    return toolkit


def suggest(body, *, toolkit, published=None, marked_mentions=frozenset(), marked_quotes=frozenset(), roles=False):
    """Suggestions for a body (no database access).

    `marked_mentions` and `marked_quotes` hold the spans, (start, end), that
    existing mentions and quotes already mark: suggestions there are left out.
    With `roles`, resolved role phrases (`الوزير الأميركي`) are mentions too,
    marked `"via": "role"`.
    """
    # a name that is also an everyday word (سلامة, صالح) counts only with support in the report
    names = supported_names(toolkit.matcher.find(body), body)
    mentions = []
    for m in names:
        if (m.start, m.end) in marked_mentions:
            continue
        kind, slug = m.target
        mentions.append({"start": m.start, "end": m.end, "text": m.text, kind: slug})

    if roles:
        named = {m.target for m in names}
        taken = [(m.start, m.end) for m in names]
        for r in toolkit.roles.find(body, on=published, mentioned=named):
            overlaps = any(r.start < e and s < r.end for s, e in taken)
            if r.target is None or overlaps or (r.start, r.end) in marked_mentions:
                continue
            mentions.append({"start": r.start, "end": r.end, "text": r.text, "participant": r.target[1], "via": "role"})
        mentions.sort(key=lambda m: m["start"])

    # people speak, and so do states and organisations ("وقالت موسكو"); places do not
    people = [m for m in names if m.target[0] == "participant"]
    quotes = []
    new_participants = {}
    for q in find_quotes(body, mentions=people, roles=toolkit.roles, on=published):
        if (q.start, q.end) in marked_quotes:
            continue
        quote = {
            "start": q.start,
            "end": q.end,
            "text": q.text,
            "speaker": q.speaker[1] if q.speaker else None,
            "addressee": q.addressee[1] if q.addressee else None,
            "kind": q.kind,
            "co_speakers": [slug for _, slug in q.co_speakers],
        }
        if q.speaker_name:
            # someone the records do not know speaks: name them, and suggest them as a participant
            quote["speaker_name"] = q.speaker_name
            start, end, title = q.speaker_span
            new_participants.setdefault(
                q.speaker_name, {"start": start, "end": end, "text": q.speaker_name, "title": title}
            )
        quotes.append(quote)

    dates = [
        {
            "start": d.start,
            "end": d.end,
            "text": d.text,
            "date": d.date.isoformat() if d.date else None,
            "precision": d.precision,
        }
        for d in find_dates(body, published)
    ]
    answer = {"mentions": mentions, "quotes": quotes, "dates": dates}
    if new_participants:  # only when there is someone to suggest: the answer's keys stay those of PRODUCT.md
        answer["new_participants"] = sorted(new_participants.values(), key=lambda p: p["start"])
    return answer


def suggest_for_article(article, *, roles=False):
    """The suggestions for `article`, leaving out the spans its mentions and quotes already mark.

    `roles=True` adds role phrases resolved to a person as mentions (see `suggest`).
    """
    fingerprint = _fingerprint()
    marked_mentions = frozenset(article.mentions.values_list("start", "end"))
    marked_quotes = frozenset(article.quotes.values_list("start", "end"))
    depends_on = (
        cache.get(GENERATION_KEY, 0),
        fingerprint,
        article.pk,
        content_hash(article.title, article.body),
        article.published,
        sorted(marked_mentions),
        sorted(marked_quotes),
        roles,
    )
    key = "suggestions:" + hashlib.sha256(repr(depends_on).encode()).hexdigest()
    suggestions = cache.get(key)
    if suggestions is None:
        suggestions = suggest(
            article.body,
            toolkit=get_toolkit(fingerprint),
            published=article.published,
            marked_mentions=marked_mentions,
            marked_quotes=marked_quotes,
            roles=roles,
        )
        cache.set(key, suggestions, CACHE_SECONDS)
    return suggestions


def suggest_approximate_date(article):
    """For a report that prints no date, the earliest date it can have appeared, with its basis; else None.

    A report is published no earlier than the last event it reports: the latest day of the meetings
    it covers, or, when it covers none, the latest full date the toolkit finds in its text. The answer
    is `{"date": date, "precision": "day" | "month" | "year", "basis": text}` for an editor to accept;
    it is never written by itself.
    """
    if article.published is not None:
        return None
    events = [(m.end or m.start, m.date_precision) for m in article.meetings.all()]
    basis = _("not before %(date)s, from the events reported")
    if not events:
        events = [(d.date, d.precision) for d in find_dates(article.body) if d.date and d.precision == "day"]
        basis = _("not before %(date)s, from the dates the report names")
    if not events:
        return None
    day, precision = max(events)
    return {"date": day, "precision": precision, "basis": basis % {"date": format_date(day, precision)}}

"""Small builders for test data: plain functions with keyword arguments."""

import datetime
import itertools

from articles.models import Article, Mention, Source
from diplomacy.models import Agreement, Meeting, Participant, Place, Topic

_counter = itertools.count(1)


def make_source(**kwargs):
    n = next(_counter)
    values = {"name_ar": f"مصدر {n}", "name_en": f"Source {n}", "slug": f"source-{n}"}
    values.update(kwargs)
    return Source.objects.create(**values)


def make_article(**kwargs):
    n = next(_counter)
    values = {
        "title": f"تقرير رقم {n}",
        "body": f"فقرة أولى من التقرير {n}.\nفقرة ثانية.",
        "status": Article.Status.PUBLISHED,
        "published": datetime.date(2016, 3, 24),
    }
    values.update(kwargs)
    return Article.objects.create(**values)


def make_participant(**kwargs):
    n = next(_counter)
    values = {"kind": Participant.Kind.PERSON, "name_ar": f"شخص {n}", "name_en": f"Person {n}", "slug": f"person-{n}"}
    values.update(kwargs)
    return Participant.objects.create(**values)


def make_place(**kwargs):
    n = next(_counter)
    values = {"name_ar": f"مكان {n}", "name_en": f"Place {n}", "slug": f"place-{n}", "country": "RU"}
    values.update(kwargs)
    return Place.objects.create(**values)


def make_topic(**kwargs):
    n = next(_counter)
    values = {"name_ar": f"موضوع {n}", "name_en": f"Topic {n}", "slug": f"topic-{n}"}
    values.update(kwargs)
    return Topic.objects.create(**values)


def make_meeting(**kwargs):
    n = next(_counter)
    values = {
        "kind": Meeting.Kind.MEETING,
        "title_ar": f"لقاء {n}",
        "title_en": f"Meeting {n}",
        "slug": f"meeting-{n}",
        "start": datetime.date(2016, 3, 24),
    }
    values.update(kwargs)
    return Meeting.objects.create(**values)


def make_public(*records, **kwargs):
    """A published report that reaches `records`, so the public may see them (docs/public.md,
    "What is public"): it covers the meetings, agreements and topics, names the participants and
    places, and comes from the source. Returns the report."""
    sources = [r for r in records if isinstance(r, Source)]
    article = make_article(**({"source": sources[0]} if sources else {}), **kwargs)
    for record in records:
        if isinstance(record, Meeting):
            article.meetings.add(record)
        elif isinstance(record, Agreement):
            article.agreements.add(record)
        elif isinstance(record, Topic):
            article.topics.add(record)
        elif isinstance(record, Participant | Place):
            target = "participant" if isinstance(record, Participant) else "place"
            Mention.objects.create(article=article, start=0, end=4, text=article.body[:4], **{target: record})
    return article

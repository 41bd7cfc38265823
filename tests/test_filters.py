"""The shared article filters and facet counts."""

import datetime

import pytest
from django.http import QueryDict

from articles.filters import ArticleFilter, facet_counts
from articles.models import Article, Mention, Quote
from diplomacy.models import Participation
from tests.factories import make_article, make_meeting, make_participant, make_source, make_topic

pytestmark = pytest.mark.django_db


def filtered(query, queryset=None):
    filterset = ArticleFilter(QueryDict(query), queryset=queryset or Article.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs)


def test_participants_come_from_mentions_quotes_and_meetings(demo):
    assert set(demo.participants.values_list("slug", flat=True)) == {"kerry", "putin", "lavrov"}
    obama = demo.participants.model.objects.get(slug="obama")
    mention = Mention.objects.create(article=demo, start=0, end=4, text=demo.body[:4], participant=obama)
    assert demo.participants.filter(slug="obama").exists()
    mention.delete()
    assert not demo.participants.filter(slug="obama").exists()


def test_filters_by_person_country_topic_source_meeting_and_dates(demo):
    other = make_article(published=datetime.date(2020, 1, 1), source=make_source(slug="reuters"))
    assert filtered("participant=kerry") == {demo}
    assert filtered("participant=kerry&participant=lavrov") == {demo}
    assert filtered("country=RU") == {demo}
    assert filtered("country=RU&country=US") == {demo}
    assert filtered("topic=syria-war") == {demo}
    assert filtered("source=reuters") == {other}
    assert filtered("meeting=kerry-putin-2016-03-24&agreement=geneva-direct-talks-2016-03-24") == {demo}
    assert filtered("published_after=2019-01-01") == {other}
    assert filtered("published_before=2019-01-01") == set()  # the seed's date is unknown


def test_people_in_a_meeting_the_report_covers_count(demo):
    newcomer = make_participant(slug="newcomer", country="FR")
    Participation.objects.create(meeting=demo.meetings.first(), participant=newcomer)
    assert filtered("participant=newcomer") == {demo}


def test_facet_counts_count_each_report_once_and_give_the_total():
    """A queryset whose joins repeat a report (two people of one country) still counts it once."""
    first, second = make_participant(country="SY"), make_participant(country="SY")
    article = make_article()
    make_article(status=Article.Status.DRAFT)
    for person in (first, second):
        Mention.objects.create(article=article, start=0, end=4, text=article.body[:4], participant=person)
    repeated = Article.objects.filter(participants__country="SY")
    assert repeated.count() == 2  # the join gives the report twice
    facets = facet_counts(repeated)
    assert facets.total == 1
    assert facets["country"] == [{"participant__country": "SY", "n": 1}]
    assert sorted(p.n for p in facets["participant"]) == [1, 1]
    assert facet_counts(Article.objects.none()).total == 0
    assert facet_counts(Article.objects.all()).total == 2


def test_facet_values_are_ordered_by_count_then_date_then_name(demo):
    old = make_meeting(title_ar="ب", start=datetime.date(2015, 1, 1))
    new = make_meeting(title_ar="أ", start=datetime.date(2016, 1, 1))
    common = make_meeting(title_ar="ج", start=datetime.date(2014, 1, 1))
    topics = [make_topic(name_ar=name) for name in ("ثاء", "باء", "تاء")]
    for n in range(3):
        article = make_article()
        article.meetings.add(common)
        article.topics.add(topics[0])
        if n == 0:
            article.meetings.add(old, new)
            article.topics.add(*topics[1:])
    facets = facet_counts(Article.objects.exclude(pk=demo.pk))
    assert [(m.title_ar, m.n) for m in facets["meeting"]] == [("ج", 3), ("أ", 1), ("ب", 1)]
    assert [m.start for m in facets["meeting"]] == [common.start, new.start, old.start]
    assert [(t.name_ar, t.n) for t in facets["topic"]] == [("ثاء", 3), ("باء", 1), ("تاء", 1)]
    assert [len(rows) for rows in facet_counts(Article.objects.exclude(pk=demo.pk), limit=1).values()] == [
        0,
        0,
        1,
        0,
        1,
        0,
    ]


def test_empty_values_are_no_filter(demo):
    other = make_article()
    assert filtered("participant=&topic=&country=&source=") == {demo, other}
    assert filtered("participant=&participant=kerry&source= ") == {demo}


def test_unknown_values_are_errors_not_empty_results():
    filterset = ArticleFilter(
        QueryDict("participant=nobody&country=XX&published_after=2016-02-30"), queryset=Article.objects.all()
    )
    assert not filterset.is_valid()
    assert set(filterset.errors) == {"participant", "country", "published_after"}


def test_facet_counts(demo):
    topic = make_topic(slug="iran")
    second = make_article(source=demo.source)
    second.topics.add(topic)
    kerry = demo.participants.get(slug="kerry")
    Quote.objects.create(article=second, start=0, end=4, text=second.body[:4], speaker=kerry)
    Participation.objects.create(meeting=make_meeting(), participant=kerry)
    facets = facet_counts(Article.objects.all())
    assert [(p.slug, p.n) for p in facets["participant"]][0] == ("kerry", 2)
    assert {c["participant__country"]: c["n"] for c in facets["country"]} == {"US": 2, "RU": 1}
    assert [(s.name_ar, s.n) for s in facets["source"]] == [("الوقت", 2)]
    assert ("iran", 1) in [(t.slug, t.n) for t in facets["topic"]]
    narrowed = facet_counts(Article.objects.filter(pk=second.pk))
    assert [(p.slug, p.n) for p in narrowed["participant"]] == [("kerry", 1)]
    assert narrowed["meeting"] == []

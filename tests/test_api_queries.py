"""Every list endpoint costs the same number of queries at any page size (and so does a report's detail)."""

import datetime

import pytest
from django.db import connection

from articles.models import Mention, Note, Quote
from diplomacy.models import Agreement, AgreementParty, ParticipantAlias, Participation
from tests.api_support import *  # noqa: F403  (the API fixtures)
from tests.api_support import API, make_articles
from tests.factories import make_meeting, make_participant, make_place, make_source, make_topic

pytestmark = pytest.mark.django_db

N = 41


@pytest.fixture
def archive(editor):
    articles = make_articles(N)
    topics = [make_topic() for _ in range(N)]
    places = [make_place() for _ in range(N)]
    for i in range(N):
        source = make_source()
        person = make_participant()
        ParticipantAlias(participant=person, name=f"اسم {i}").save()
        person.offices.create(title_ar="وزير", country="RU", start=datetime.date(2010, 1, 1))
        meeting = make_meeting(place=places[i])
        meeting.topics.add(topics[i])
        Participation.objects.create(meeting=meeting, participant=person)
        agreement = Agreement.objects.create(kind="truce", status="agreed", title_ar=f"اتفاق {i}", slug=f"deal-{i}")
        agreement.topics.add(topics[i])
        agreement.negotiated_at.add(meeting)
        AgreementParty.objects.create(agreement=agreement, participant=person)
        article = articles[i]
        # the report covers the record it names, so the public sees all of it (docs/public.md)
        article.source = source
        article.save(update_fields=["source"])
        article.meetings.add(meeting)
        article.agreements.add(agreement)
        body = article.body
        Quote.objects.create(article=article, start=0, end=4, text=body[:4], speaker=person, meeting=meeting)
        Mention.objects.create(article=article, start=0, end=4, text=body[:4], participant=person)
        Note.objects.create(article=article, start=0, end=4, text=body[:4], note="ملاحظة", author=editor)
    return articles


LISTS = [
    # 1 articles with their source (one join)
    ("articles", 1),
    # 1 quotes with article, speaker, addressee and meeting (joins)
    ("quotes", 1),
    # 1 mentions with article and their targets (joins)
    ("mentions", 1),
    # 1 participants, 2 their aliases, 3 their offices
    ("participants", 3),
    # 1 meetings with place and part_of, 2 participations with participants, 3 topics
    ("meetings", 3),
    # 1 agreements, 2 parties with participants, 3 meetings negotiated at, 4 topics
    ("agreements", 4),
    # 1 sources / topics / places
    ("sources", 1),
    ("topics", 1),
    ("places", 1),
]


def test_list_queries_do_not_grow_with_page_size(api, editor_api, archive, django_assert_num_queries):
    # One test for all lists: building the archive is the slow part.
    for resource, queries in LISTS:
        for size in (5, 40):
            with django_assert_num_queries(queries):
                response = api.get(f"{API}/{resource}/?page_size={size}")
            assert response.status_code == 200 and len(response.json()["results"]) == size, resource
            # A later page (a keyset cursor) costs the same.
            with django_assert_num_queries(queries):
                assert api.get(response.json()["next"]).status_code == 200

    # The archive is slow to build, so the lists below are checked in the same test.
    _notes_list(editor_api, django_assert_num_queries)
    _filtered_and_searched_article_lists(api, archive, django_assert_num_queries)


def _notes_list(editor_api, django_assert_num_queries):
    editor_api.get(f"{API}/notes/?page_size=1")  # the editor's permissions are loaded once, then cached
    for size in (5, 40):
        # 1 notes with article and author (joins)
        with django_assert_num_queries(1):
            assert len(editor_api.get(f"{API}/notes/?page_size={size}").json()["results"]) == size


def _filtered_and_searched_article_lists(api, archive, django_assert_num_queries):
    topic = archive[0].topics.model.objects.first()
    for article in archive:
        article.topics.add(topic)
    for size in (5, 40):
        # 1 the topic's slug is checked, 2 the filtered articles with their source
        with django_assert_num_queries(2):
            assert len(api.get(f"{API}/articles/?topic={topic.slug}&page_size={size}").json()["results"]) == size
        # 1 the editors' synonyms, 2 the participants the words name (the search service reads
        # both afresh for every query), 3 how many reports the word is in, 4 the head of the matches,
        # then the head's words to rerank them (on PostgreSQL 5 read from the index entries; on SQLite
        # 5-9 its texts and 10 the names kept whole by stemming), last the matching articles with their
        # source and rank (tests/test_search.py::test_queries_of_a_search_page)
        with django_assert_num_queries(6 if connection.vendor == "postgresql" else 11):
            assert len(api.get(f"{API}/articles/?q=التقرير&page_size={size}").json()["results"]) == size


def test_article_detail_queries(api, demo, django_assert_num_queries):
    # 1 article with source, 2 quotes with speaker/addressee/meeting, 3 mentions with targets,
    # 4 meetings, 5 agreements, 6 topics, 7 participants
    with django_assert_num_queries(7):
        assert api.get(f"{API}/articles/{demo.pk}/").status_code == 200
    # 1 article, 2 quotes with their people and meeting, 3 mentions with their targets
    with django_assert_num_queries(3):
        assert api.get(f"{API}/articles/{demo.pk}/annotations/").status_code == 200

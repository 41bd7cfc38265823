"""How fast the public pages answer over a large archive, and how many queries each makes.

Fills a SEPARATE database with synthetic published reports (bulk-created, with quotes, people,
topics, meetings and agreements), builds the search index, then requests each public page through
Django's test client and reports the median and the slowest of several runs. It refuses a database
whose name does not contain "bench", since it writes freely.

    createdb -h 127.0.0.1 -U postgres diplo_public_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/diplo_public_bench \\
        .venv/bin/python benchmarks/bench_public.py --reports 20000
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.test_settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article, Quote, Source, content_hash  # noqa: E402
from diplomacy.models import Agreement, Meeting, Participant, Participation, Topic  # noqa: E402

TEXT = (
    "أكد وزير الخارجية أن المحادثات تناولت الأزمة السورية ووقف إطلاق النار والمساعدات الإنسانية "
    "وبحث الجانبان سبل التعاون في مواجهة التحديات الإقليمية وشدد على ضرورة الحل السياسي "
    "واتفق الطرفان على مواصلة المشاورات في جنيف بين الحكومة والمعارضة"
)
WORDS = TEXT.split(" ")


def fill(n_reports, seed=7):
    rng = random.Random(seed)
    call_command("load_demo", verbosity=0)
    people = list(Participant.objects.all())
    sources = [
        Source.objects.get_or_create(slug=f"bench-source-{i}", defaults={"name_ar": f"مصدر {i}", "name_en": f"S{i}"})[0]
        for i in range(30)
    ]
    topics = [
        Topic.objects.get_or_create(slug=f"bench-topic-{i}", defaults={"name_ar": f"موضوع {i}", "name_en": f"T{i}"})[0]
        for i in range(60)
    ]
    meetings = []
    for i in range(400):
        day = datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randrange(5000))
        meeting, created = Meeting.objects.get_or_create(
            slug=f"bench-meeting-{i}",
            defaults={"kind": "meeting", "title_ar": f"لقاء {i}", "title_en": f"Meeting {i}", "start": day},
        )
        if created:
            for person in rng.sample(people, 2):
                Participation.objects.create(meeting=meeting, participant=person, role="guest")
        meetings.append(meeting)
    agreements = list(Agreement.objects.all())
    existing = Article.objects.filter(title__startswith="تقرير تجريبي").count()
    batch = []
    for i in range(existing, n_reports):
        body = "\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 60))) for _ in range(8))
        title = f"تقرير تجريبي {i}"
        batch.append(
            Article(
                title=title,
                body=body,
                content_hash=content_hash(title, body),
                status=Article.Status.PUBLISHED,
                source=rng.choice(sources),
                published=datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randrange(5000)),
            )
        )
    with transaction.atomic():
        created = Article.objects.bulk_create(batch, batch_size=1000)
        through_topics, through_meetings, through_people, through_agreements, quotes = [], [], [], [], []
        for article in created:
            for topic in rng.sample(topics, 3):
                through_topics.append(Article.topics.through(article_id=article.pk, topic_id=topic.pk))
            meeting = rng.choice(meetings)
            through_meetings.append(Article.meetings.through(article_id=article.pk, meeting_id=meeting.pk))
            agreement = rng.choice(agreements)
            through_agreements.append(Article.agreements.through(article_id=article.pk, agreement_id=agreement.pk))
            speakers = rng.sample(people, 3)
            for person in speakers:
                through_people.append(Article.participants.through(article_id=article.pk, participant_id=person.pk))
            for k, person in enumerate(speakers):
                start = k * 10
                quotes.append(
                    Quote(
                        article=article,
                        start=start,
                        end=start + 8,
                        text=article.body[start : start + 8],
                        speaker=person,
                    )
                )
        Article.topics.through.objects.bulk_create(through_topics, batch_size=5000)
        Article.meetings.through.objects.bulk_create(through_meetings, batch_size=5000)
        Article.agreements.through.objects.bulk_create(through_agreements, batch_size=5000)
        Article.participants.through.objects.bulk_create(through_people, batch_size=5000, ignore_conflicts=True)
        Quote.objects.bulk_create(quotes, batch_size=5000)
    if created:
        call_command("rebuild_search_index", verbosity=0)


def measure(client, url, runs):
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
        reset_queries()
    return statistics.median(times), max(times), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name:
        sys.exit(f"Refusing to write to database {name!r}: its name must contain 'bench'.")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill(args.reports)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # planner statistics for the new rows, as autovacuum would give
    print(f"# {connection.vendor}, {Article.objects.count()} reports (filled in {time.perf_counter() - started:.0f} s)")
    demo = Article.objects.get(title="ماذا حمل جون كيري في جعبته للقيادات السورية")
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    pages = [
        "/",
        "/articles/",
        "/articles/?page_size=100",
        "/articles/?sort=oldest",
        "/articles/?sort=source&page_size=100",
        "/articles/?participant=kerry&topic=bench-topic-1",
        "/articles/?published_after=2012-01-01&published_before=2012-12-31&source=bench-source-3",
        "/search/?q=المساعدات الإنسانية",
        "/search/?q=لافروف&page_size=100",
        f"/articles/{demo.pk}/",
        "/participants/kerry/",
        "/meetings/kerry-lavrov-talks-2016-03-24/",
        "/places/moscow/",
        "/agreements/syria-cessation-of-hostilities-2016/",
        "/timeline/",
        "/sources/",
        "/sources/bench-source-3/",
        "/feed/",
        "/en/articles/",
    ]
    print("| page | median ms | slowest ms | queries |")
    print("| --- | ---: | ---: | ---: |")
    for url in pages:
        median, slowest, queries = measure(client, url, args.runs)
        print(f"| `{url}` | {median:.0f} | {slowest:.0f} | {queries} |")
    etag = client.get(f"/articles/{demo.pk}/")["ETag"]
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        response = client.get(f"/articles/{demo.pk}/", HTTP_IF_NONE_MATCH=etag)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 304
    print(
        f"| `/articles/{demo.pk}/` with If-None-Match (304) | {statistics.median(times):.0f} | {max(times):.0f} | 1 |"
    )


if __name__ == "__main__":
    main()

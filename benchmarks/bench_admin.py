"""Benchmark: the admin change page of a 5,000-word report with 300 annotations (issue 4 item 8).

    .venv/bin/python benchmarks/bench_admin.py [--repeat N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/diplo_admin .venv/bin/python benchmarks/bench_admin.py

Against a throwaway test database (in-memory SQLite by default; a PostgreSQL
`test_…` database when DATABASE_URL names one), pinned to one core, a
reviewer opens the change page of a synthetic 5,000-word report carrying 150
quotes, 100 mentions and 50 notes, through Django's test client (the whole
request: middleware, the form, the three inlines, the annotator's data). Also
timed: saving one annotation through the annotator's endpoint, and an edit
of the body near its start that re-anchors all 300 annotations.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "diplomacy.test_settings"
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

WORDS = (
    "أكد الوزير أن المحادثات التي جرت في العاصمة كانت بناءة وأن الجانبين اتفقا على مواصلة الحوار حول "
    "القضايا الإقليمية والدولية ومنها الأزمة في المنطقة وسبل التوصل إلى حل سياسي يضمن الأمن والاستقرار"
)
WORDS = WORDS.split(" ")


def make_body(rng, words=5000):
    paragraphs, count = [], 0
    while count < words:
        paragraph = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90)))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n".join(paragraphs)


def populate(rng):
    from django.contrib.auth.models import Group, User

    from articles.models import Article, Mention, Note, Quote
    from diplomacy.models import Participant

    people = Participant.objects.bulk_create(
        [Participant(slug=f"p-{i}", kind="person", name_ar=f"شخص {i}", name_en=f"Person {i}") for i in range(40)]
    )
    body = make_body(rng)
    article = Article.objects.create(title="تقرير طويل", body=body, status="in_review")
    # Word boundaries, so every span covers whole words, as an editor's would.
    starts = [0] + [i + 1 for i, c in enumerate(body) if c in " \n"]
    spans = set()
    while len(spans) < 300:
        a = rng.randrange(len(starts) - 8)
        start, end = starts[a], starts[a + rng.randint(1, 7)] - 1
        spans.add((start, end))
    spans = sorted(spans)
    quotes = [
        Quote(article=article, start=s, end=e, text=body[s:e], speaker=rng.choice(people), addressee=rng.choice(people))
        for s, e in spans[:150]
    ]
    mentions = [
        Mention(article=article, start=s, end=e, text=body[s:e], participant=rng.choice(people))
        for s, e in spans[150:250]
    ]
    notes = [Note(article=article, start=s, end=e, text=body[s:e], note="ملاحظة") for s, e in spans[250:]]
    Quote.objects.bulk_create(quotes)
    Mention.objects.bulk_create(mentions)
    Note.objects.bulk_create(notes)
    reviewer = User.objects.create_user("bench-reviewer", password="x", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="reviewers"))
    return article, reviewer


def timed(repeat, action):
    wall, cpu = [], []
    result = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = action()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return result, statistics.median(wall), statistics.median(cpu), min(wall), max(wall)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    from django.urls import reverse

    from articles.anchoring import reanchor
    from articles.models import Article

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rng = random.Random(2016)
        article, reviewer = populate(rng)
        client = Client()
        client.force_login(reviewer)
        url = reverse("admin:articles_article_change", args=[article.pk])
        client.get(url)  # warm caches (templates, content types)

        queries = []
        with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
            response = client.get(url)
        assert response.status_code == 200
        _, page_ms, page_cpu, page_min, page_max = timed(args.repeat, lambda: client.get(url))
        size_kb = len(response.content) / 1024

        annotate = reverse("admin:articles_article_annotate", args=[article.pk, "note"])
        body = article.body
        free = [i for i in range(0, len(body) - 10, 37) if body[i] != " "][: args.repeat]
        positions = iter(free)

        def one_note():
            start = next(positions)
            return client.post(
                annotate,
                {"note-start": start, "note-end": start + 3, "note-text": body[start : start + 3], "note-note": "ن"},
            )

        _, note_ms, note_cpu, _, _ = timed(args.repeat, one_note)

        def edit():
            # As the admin does it: the new body and the re-anchored annotations in one
            # transaction (on PostgreSQL the deferred span checks run at its commit).
            reset_queries()
            with transaction.atomic():
                current = Article.objects.get(pk=article.pk)
                old = current.body
                current.body = "تمهيد قصير. " + old if not old.startswith("تمهيد") else old[len("تمهيد قصير. ") :]
                current.save()
                return reanchor(current, old_body=old)

        result, edit_ms, edit_cpu, _, _ = timed(5, edit)

        engine = connection.vendor
        print(f"Python {sys.version.split()[0]}, {engine}, one core; median of {args.repeat} runs (re-anchoring: 5)")
        print(f"report: {len(body.split()):,} words, {len(body):,} characters, 300 annotations")
        print("| measure | wall (median) | CPU (median) | notes |")
        print("| --- | ---: | ---: | --- |")
        print(
            f"| change page, GET | {page_ms:.0f} ms | {page_cpu:.0f} ms "
            f"| {len(queries)} queries, {size_kb:.0f} KiB, wall {page_min:.0f}–{page_max:.0f} ms |"
        )
        print(f"| one note through the annotator's endpoint | {note_ms:.0f} ms | {note_cpu:.0f} ms | |")
        print(
            f"| body edited near its start, all re-anchored | {edit_ms:.0f} ms | {edit_cpu:.0f} ms "
            f"| moved {result.moved}, flagged {result.flagged_count} |"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

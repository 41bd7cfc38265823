"""Search at scale on PostgreSQL: index build rate and query latency at growing corpus sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/diplo_search_bench \\
        .venv/bin/python benchmarks/bench_search.py --sizes 10000 100000

The database named by DATABASE_URL is emptied of reports and filled by
`generate_corpus` up to each size in turn (use a database of its own).
At each size it prints the time to write and index the new reports, the
time of `rebuild_search_index` over everything (with --rebuild), and p50/p95
over --runs runs of each query, fetching the first page of 20 ranked results
as the public pages do. Results are written up in docs/performance.md.
"""

import argparse
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-0123456789-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.search import search  # noqa: E402
from articles.search.index import rebuild, vacuum  # noqa: E402

QUERIES = [
    # (what it measures, query)
    ("selective: a rare word", None),  # filled in from the corpus: a word in about 0.05% of reports
    ("selective: a rare place (phrase)", '"دير الورد"'),
    ("selective: three words, all required", "ظريف بوغدانوف الدستور"),
    ("name across scripts", "Lavrov"),
    ("common: a person (~12%)", "لافروف"),
    ("common: الخارجية (~85%)", "الخارجية"),
    ("very common: في (every report)", "في"),
    ("OR and exclusion", "إدلب OR حلب -روسيا"),
]


def timed(q, runs):
    queryset = Article.objects.published()
    for _ in range(2):
        list(search(queryset, q)[:20])
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        list(search(queryset, q)[:20])
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def rare_word():
    import random

    from articles.management.commands.generate_corpus import rare_words

    return rare_words(random.Random(0))[400]


def main():
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true", help="also time rebuild_search_index at each size")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the reports already there (from an earlier run with the same sizes) and only time the queries",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own: this benchmark empties it.")
    call_command("migrate", verbosity=0)
    if not args.reuse:
        with connection.cursor() as cursor:  # a raw TRUNCATE: deleting 100,000 reports one by one writes history
            cursor.execute(
                "TRUNCATE articles_article, articles_mention, articles_historicalmention, articles_searchdocument, "
                "articles_article_participants, articles_article_topics CASCADE"
            )
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        print(f"PostgreSQL {cursor.fetchone()[0]}")
    queries = [(label, q or rare_word()) for label, q in QUERIES]
    for size in args.sizes:
        have = Article.objects.count()
        if args.reuse and have > size:
            continue  # this size was measured on a smaller archive, which is gone
        started = time.perf_counter()
        if size > have:
            call_command("generate_corpus", size - have, seed=size, stdout=io.StringIO())
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # fresh planner statistics, as autovacuum would give
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('articles_searchdocument'))")
            index_size = cursor.fetchone()[0]
        print(f"\n## {size} reports")
        if size > have:
            print(
                f"generate and index {size - have} reports: {seconds:.0f} s ({(size - have) / seconds:.0f} reports/s)"
            )
        print(f"index table with its GIN index: {index_size}")
        if args.rebuild:
            started = time.perf_counter()
            rebuild(batch_size=2000, progress=None)
            vacuum()  # as the command does
            seconds = time.perf_counter() - started
            print(f"rebuild_search_index: {seconds:.0f} s ({size / seconds:.0f} reports/s)")
        print("| query | matches | p50 ms | p95 ms |")
        print("| --- | ---: | ---: | ---: |")
        for label, q in queries:
            matches = search(Article.objects.published(), q).count()
            p50, p95 = timed(q, args.runs)
            print(f"| {label}: `{q}` | {matches} | {p50:.1f} | {p95:.1f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

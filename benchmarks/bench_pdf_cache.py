"""What a report's PDF costs, set cold by WeasyPrint and served from the shared cache (docs/performance.md).

    DEBUG=1 DATABASE_URL=... [REDIS_URL=redis://127.0.0.1:6379/0] \\
        .venv/bin/python benchmarks/bench_pdf_cache.py [--repeat N] [--report ID]

Needs a published report in the database (the seed of `manage.py load_demo` by default). For each
language it times, N times each: the page alone (five queries and the template, what a cached PDF
still costs), a cold PDF (the cache entry removed first: page, WeasyPrint, cache write) and a
cached PDF (page, digest, cache read). Wall time and this process's CPU time, median and worst.
The cache is the configured one: Redis with REDIS_URL, else the files under CACHE_DIR.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.utils import translation  # noqa: E402

from articles.charts import pdf  # noqa: E402

SEED_TITLE = "ماذا حمل جون كيري في جعبته للقيادات السورية"


def timed(function, repeat):
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, max(walls) * 1000, statistics.median(cpus) * 1000


def measure(reports, pk, language, repeat):
    permalink = f"https://archive.example.org{'/en' if language == 'en' else ''}/articles/{pk}/"

    def page():
        return pdf.article_pdf_html(reports.get(pk=pk), permalink=permalink)

    def cold():
        found = reports.get(pk=pk)
        html = pdf.article_pdf_html(found, permalink=permalink)
        cache.delete(pdf.pdf_key(found, html, language))
        return pdf.serve_pdf(found, permalink=permalink)

    def cached():
        return pdf.serve_pdf(reports.get(pk=pk), permalink=permalink)

    content, _how = cold()
    for step, function in (("page only", page), ("cold PDF", cold), ("cached PDF", cached)):
        function()
        wall, worst, cpu = timed(function, repeat)
        connection.force_debug_cursor = True
        reset_queries()
        function()
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        size = len(content) // 1024
        print(f"| {language} | {step} | {wall:.0f} ms ({worst:.0f}) | {cpu:.0f} ms | {queries} | {size} KiB |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--report", type=int, help="a published report's id (default: the demo's seed)")
    args = parser.parse_args()
    reports = pdf.reports_for_pdf()
    article = reports.get(pk=args.report) if args.report else reports.get(title=SEED_TITLE)
    print(f"report {article.pk}: {len(article.body)} characters, {len(article.pdf_quotes)} quotes")
    print(f"cache: {settings.CACHES['strict']['BACKEND']}; load average before: {os.getloadavg()[0]:.1f}\n")
    print("| language | step | wall, median (worst) | CPU, median | queries | size |")
    print("| --- | --- | --- | --- | --- | --- |")
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            measure(reports, article.pk, language, args.repeat)
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

"""Benchmark: the article list endpoint against a bare Django view that returns the same bytes.

    .venv/bin/python benchmarks/bench_api.py [--articles 2000] [--page-size 20] [--seconds 10]

Both run in one process, in turn, through the same middleware stack (Django's
test client, no network), against the same temporary SQLite database, with
DEBUG off. The bare view queries the same rows with `.values()` and writes
the JSON by hand; before timing, the script checks that its bytes equal the
API's. Anonymous throttling is off for the run (it would otherwise be what
is measured). The ratio printed is API throughput / bare-view throughput.
"""

import argparse
import base64
import datetime
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def configure(database):
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ["DEBUG"] = "0"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["API_ANON_THROTTLE_RATE"] = ""
    os.environ["DJANGO_SETTINGS_MODULE"] = "diplomacy.settings"
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = __name__
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def bare_articles(request):
    """The first page of /api/v1/articles/, written without DRF: a query, dicts, json.dumps."""
    from django.db.models import F
    from django.http import HttpResponse

    from articles.models import Article

    size = 20
    rows = list(
        Article.objects.filter(status="published")
        .order_by(F("published").desc(nulls_last=True), F("id").desc(nulls_last=True))
        .values("id", "title", "source__slug", "language", "published", "status", "byline", "url")[: size + 1]
    )
    more = len(rows) > size
    rows = rows[:size]
    prefix = request.build_absolute_uri("/api/v1/articles/")
    results = [
        {
            "id": r["id"],
            "url": f"{prefix}{r['id']}/",
            "title": r["title"],
            "source": r["source__slug"],
            "language": r["language"],
            "published": r["published"].isoformat() if r["published"] else None,
            "status": r["status"],
            "byline": r["byline"],
            "original_url": r["url"],
        }
        for r in rows
    ]
    next_link = None
    if more:
        last = rows[-1]
        key = [last["published"].isoformat() if last["published"] else None, last["id"]]
        cursor = json.dumps({"o": "-published", "k": key}, separators=(",", ":"), ensure_ascii=False)
        token = base64.urlsafe_b64encode(cursor.encode()).decode().rstrip("=")
        next_link = f"{prefix}?cursor={token}"
    body = {"results": results, "next": next_link, "previous": None}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(), content_type="application/json"
    )


urlpatterns = []


def build_urls():
    from django.urls import path

    from diplomacy.urls import urlpatterns as project

    # The project's own patterns (not include(): they hold i18n_patterns, allowed only at the root).
    urlpatterns.extend([path("bare/articles/", bare_articles), *project])


def populate(n):
    from django.core.management import call_command

    from articles.models import Article, Source

    call_command("migrate", verbosity=0)
    sources = [Source.objects.create(name_ar=f"مصدر {i}", slug=f"source-{i}") for i in range(10)]
    start = datetime.date(2010, 1, 1)
    Article.objects.bulk_create(
        Article(
            title=f"تقرير رقم {i} عن لقاء كيري ولافروف",
            body=f"فقرة أولى من التقرير {i}.\nفقرة ثانية.",
            content_hash=f"{i:064d}",
            source=sources[i % 10],
            status="published" if i % 10 else "draft",
            published=None if i % 13 == 0 else start + datetime.timedelta(days=i),
            url=f"https://example.org/{i}" if i % 2 else "",
        )
        for i in range(n)
    )


def throughput(client, url, seconds):
    done, began = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - began) < seconds:
        for _ in range(20):
            response = client.get(url)
            assert response.status_code == 200
        done += 20
    return done / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0, help="total timed seconds for each view")
    parser.add_argument("--rounds", type=int, default=5, help="alternate the two views this many times")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        configure(Path(folder) / "bench.sqlite3")
        build_urls()
        populate(args.articles)
        from django.test import Client

        client = Client()
        api_url, bare_url = "/api/v1/articles/", "/bare/articles/"
        api_bytes, bare_bytes = client.get(api_url).content, client.get(bare_url).content
        if api_bytes != bare_bytes:
            sys.exit(f"The two views differ:\n{api_bytes[:400]!r}\n{bare_bytes[:400]!r}")
        for _ in range(50):  # warm up both
            client.get(api_url), client.get(bare_url)
        api_rates, bare_rates = [], []
        for _ in range(args.rounds):
            api_rates.append(throughput(client, api_url, args.seconds / args.rounds))
            bare_rates.append(throughput(client, bare_url, args.seconds / args.rounds))
        api_rate, bare_rate = sum(api_rates) / len(api_rates), sum(bare_rates) / len(bare_rates)
        print(f"articles in the database: {args.articles}; page: 20 rows, {len(api_bytes)} bytes (identical)")
        print(f"API  /api/v1/articles/  {api_rate:8.1f} requests/s")
        print(f"bare Django view        {bare_rate:8.1f} requests/s")
        print(f"ratio API / bare        {api_rate / bare_rate:8.2f}")


if __name__ == "__main__":
    main()

"""What one request of each kind costs, in CPU time of the web process and in database time.

The capacity plan in docs/deployment.md is sized from these: CPU seconds a request is what
web processes must supply; database time is what the primary or the replicas must. Requests go
through Django's test client (full middleware, production settings, no network) against the
database DATABASE_URL names, already filled by `manage.py generate_corpus`; each kind is run
`--repeat` times after one warm-up, and the median is printed. CPU time (`time.process_time`)
is little affected by other processes on the machine; wall and database times are.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench \\
        .venv/bin/python benchmarks/bench_request_costs.py --repeat 15
"""

import argparse
import os
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.test_settings")
os.environ.setdefault("API_ANON_THROTTLE_RATE", "")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article  # noqa: E402

KINDS = {
    "report page": lambda rng, ids: f"/articles/{rng.choice(ids)}/",
    "API detail": lambda rng, ids: f"/api/v1/articles/{rng.choice(ids)}/",
    "API list, by participant": lambda rng, ids: "/api/v1/articles/?page_size=20&participant=gen-zarif",
    "list, by participant": lambda rng, ids: f"/articles/?participant=gen-zarif&page={rng.randint(1, 5)}",
    "search, rare word": lambda rng, ids: "/search/?q=" + urllib.parse.quote("ثانوج"),
    "list, unfiltered": lambda rng, ids: f"/articles/?page={rng.randint(1, 50)}",
    "search, common word": lambda rng, ids: "/search/?q=" + urllib.parse.quote("الخارجية"),
}


class DatabaseTime:
    def __init__(self):
        self.seconds, self.queries = 0.0, 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(1)
    ids = list(Article.objects.published().order_by("?").values_list("pk", flat=True)[:500])
    client = Client()
    print(f"{Article.objects.count():,} reports; median of {args.repeat} after one warm-up")
    print("| request | web CPU ms | database ms | queries | wall ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, url in KINDS.items():
        client.get(url(rng, ids))
        cpu, database, wall, queries = [], [], [], []
        for _ in range(args.repeat):
            timer = DatabaseTime()
            started_cpu, started = time.process_time(), time.perf_counter()
            with connection.execute_wrapper(timer):
                response = client.get(url(rng, ids))
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            database.append(timer.seconds)
            queries.append(timer.queries)
            assert response.status_code == 200, (name, response.status_code)
        print(
            f"| {name} | {statistics.median(cpu) * 1000:.0f} | {statistics.median(database) * 1000:.0f} "
            f"| {statistics.median(queries):.0f} | {statistics.median(wall) * 1000:.0f} |",
            flush=True,
        )
    print(f"load average after: {Path('/proc/loadavg').read_text().split()[0]}")


if __name__ == "__main__":
    main()

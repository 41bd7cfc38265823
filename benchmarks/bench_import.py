"""Benchmark: `import_articles` of N reports in one JSON Lines file, and `load_demo` (issue 12, item 3).

    .venv/bin/python benchmarks/bench_import.py [--reports 1000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/diplo_import .venv/bin/python benchmarks/bench_import.py

Against a throwaway test database (a SQLite file by default; a PostgreSQL
`test_…` database when DATABASE_URL names one), with the demo's records loaded
first (so the alias table is not empty, as in a real archive): times one
`import_articles FILE.jsonl --status published` of N synthetic reports and
counts its queries, then the same for `load_demo` into an empty database. It
calls only the public commands, so the same script measures an older commit
(check it out in a worktree and run this file from there) for a before/after
ratio. Pinned to one core when the platform allows.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "diplomacy.test_settings"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench-import.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

SEED = ROOT / "articles" / "demo" / "kerry-moscow-2016.txt"


class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def reports(n, rng):
    """N distinct reports built from the seed's paragraphs, each a different mix and order."""
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines()[1:-1] if line.strip()]
    for i in range(n):
        body = rng.sample(lines, k=min(len(lines), rng.randint(6, len(lines))))
        yield {
            "title": f"تقرير رقم {i + 1}: {rng.choice(lines)[:60]}",
            "body": "\n".join(body),
            "source": rng.choice(["رويترز", "الجزيرة", "الحياة", "الشرق الأوسط"]),
            "published": f"2016-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        }


def timed(function):
    counter = Counter()
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(counter):
        function()
    return time.perf_counter() - start_wall, time.process_time() - start_cpu, counter.n


def flush():
    call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)  # the flush empties the groups the data migration made


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        path = Path(tempfile.mkdtemp()) / "reports.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for report in reports(args.reports, random.Random(12)):
                out.write(json.dumps(report, ensure_ascii=False) + "\n")
        print(f"database: {connection.vendor}; {args.reports} reports, {path.stat().st_size / 1e6:.1f} MB")
        for run in range(args.repeat):
            flush()
            wall, cpu, queries = timed(lambda: call_command("load_demo", stdout=StringIO()))
            print(
                f"load_demo on an empty database: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU, {queries} queries"
            )
            wall, cpu, queries = timed(
                lambda: call_command("import_articles", str(path), "--status", "published", stdout=StringIO())
            )
            print(
                f"run {run + 1}: import_articles {args.reports} reports: {wall:.2f} s wall, {cpu:.2f} s CPU, "
                f"{args.reports / wall:.0f} reports/s, {queries} queries ({queries / args.reports:.1f} a report)"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

"""Benchmark: `import_articles` of a JSON Lines file of N reports (issue 14: 100,000 at 500 reports/s on one core).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME_db .venv/bin/python benchmarks/bench_import.py \
        [--reports 100000] [--compare-reports 2000] [--before /path/to/older/checkout] [--repeat 2]

Against a throwaway test database (`test_NAME_db` on PostgreSQL; a SQLite file when DATABASE_URL is not
set), with the demo's records loaded first (so the alias table is not empty, as in a real archive), each
import runs in a process of its own, pinned to one core, and prints its wall and CPU time, its queries
and its peak memory. The load average is printed before each.

The reports are `generate_corpus`'s (Arabic news sentences with people, places, dates and a long tail of
rare words), two of its reports' paragraphs a report (~4 KB, so 100,000 reports are ~400 MB), every
twentieth a wire copy of an earlier one under another outlet (so copy notices and copy groups are paid
for as in real coverage), published on import, the search index included.

`--before` names another checkout of the archive (`git worktree add --detach /tmp/before main`): the
same file of `--compare-reports` reports is imported by it and by this checkout in turn, `--repeat`
times each, in the same run, and the ratios are printed (timings on a shared machine only compare
within one run). Then this checkout imports the `--reports` file.
"""

import argparse
import datetime
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = Path(os.environ.get("BENCH_ROOT") or HERE.parents[1])


def load():
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def write_reports(path, n, seed=12):
    """N reports as JSON Lines: generate_corpus's text, one in twenty a copy of an earlier one from another outlet."""
    sys.path.insert(0, str(HERE.parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.test_settings")
    import django

    django.setup()
    from articles.management.commands.generate_corpus import PEOPLE, SOURCES, STEMS, SYLLABLES, Command, rare_words

    rng = random.Random(seed)
    people = [(key, name_ar, alias) for key, name_ar, _en, alias, _country in PEOPLE]
    rare = rare_words(random.Random(0))
    tail = (
        [f"{a} {b}" for a in SYLLABLES for b in STEMS],
        rare,
        list(itertools.accumulate(1 / (r + 1) for r in range(len(rare)))),
    )
    outlets = [name for name, _slug in SOURCES]
    command, written = Command(), []
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            if i >= 20 and i % 20 == 0:  # a wire copy: the same story, another outlet, its own last line
                original = rng.choice(written)
                outlet = rng.choice([o for o in outlets if o != original["source"]])
                report = {
                    **original,
                    "title": f"{original['title']} ({outlet}، {i})",
                    "source": outlet,
                    "body": original["body"] + f"\nنقلا عن وكالات الأنباء، العدد {i}.",
                }
            else:
                title, body, _spans = command.report(rng, rng.sample(people, rng.randint(2, 4)), tail)
                _title, more, _spans = command.report(rng, rng.sample(people, rng.randint(2, 4)), tail)
                day = datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randrange(5500))
                report = {
                    "title": f"{title} ({i + 1})",
                    "body": f"{body}\n{more}",
                    "source": rng.choice(outlets),
                    "published": day.isoformat(),
                }
                if len(written) < 5000:
                    written.append(report)
                else:
                    written[rng.randrange(5000)] = report
            out.write(json.dumps(report, ensure_ascii=False) + "\n")


def child(root, path):
    """Run one import of `path` with the archive checked out at `root`, in a fresh process; its result."""
    env = {**os.environ, "BENCH_ROOT": str(root)}
    if Path(root).resolve() != HERE.parents[1]:  # an older checkout reads the whole file, bound by the upload limit
        env["ARTICLE_IMPORT_MAX_BYTES"] = str(2**40)
    run = subprocess.run(
        [sys.executable, str(HERE), "--child", str(path)],
        env=env,
        cwd=root,  # some of what settings import (Celery) puts the working directory first on the path
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def in_child(path):
    """The child: a test database with the demo's records, then one timed `import_articles FILE --status published`."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "diplomacy.test_settings"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench-import.sqlite3")
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    class Terminal:
        """The command's standard error: its progress lines go through to the terminal, warnings are counted."""

        def __init__(self):
            self.warnings, self.progress = 0, 0

        def write(self, text):
            for line in text.splitlines():
                if ": warning: " in line:
                    self.warnings += 1
                elif " reports (" in line:
                    self.progress += 1
                    sys.stderr.write(f"  {line}\n")
                elif line.strip():
                    sys.stderr.write(f"  {line[:300]}\n")

        def flush(self):
            sys.stderr.flush()

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_demo", stdout=StringIO())
        terminal, out = Terminal(), StringIO()
        load_before = os.getloadavg()
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(count):
            call_command("import_articles", str(path), "--status", "published", stdout=out, stderr=terminal)
        wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
        from articles.models import Article, SearchDocument

        reports = Article.objects.count() - 1
        indexed = SearchDocument.objects.count() if connection.vendor == "postgresql" else None
        groups = Article.objects.filter(copy_group__isnull=False).values("copy_group").distinct().count()
        result = {
            "vendor": connection.vendor,
            "reports": reports,
            "indexed": indexed,
            "copy_groups": groups,
            "wall": wall,
            "cpu": cpu,
            "queries": queries,
            "warnings": terminal.warnings,
            "progress_lines": terminal.progress,
            "max_rss_mb": peak_rss_mb(),
            "load": [load_before, os.getloadavg()],
            "status": out.getvalue().split(": ", 1)[-1].split(" ", 1)[0],
            "code": str(Path(sys.modules["articles"].__file__).parents[1]),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps(result))


def peak_rss_mb():
    """This process's own peak resident memory (VmHWM; `ru_maxrss` carries the forking parent's over exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def show(label, r):
    print(
        f"{label}: {r['reports']} reports ({r['status']}), {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU — "
        f"{r['reports'] / r['cpu']:.0f} reports/s of CPU, {r['reports'] / r['wall']:.0f}/s wall; "
        f"{r['queries']} queries ({r['queries'] / max(r['reports'], 1):.2f} a report); {r['warnings']} copy notices, "
        f"{r['copy_groups']} copy groups, {r['indexed']} index rows; peak RSS {r['max_rss_mb']:.0f} MB; "
        f"load {r['load'][0][0]:.2f} -> {r['load'][1][0]:.2f}",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--compare-reports", type=int, default=2000)
    parser.add_argument("--before", type=Path, help="another checkout of the archive to compare with")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})  # one core, for this process and the imports it starts
    if args.child:
        return in_child(args.child)
    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    print(f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {load()}, one core pinned", flush=True)
    print(f"database: {os.environ.get('DATABASE_URL', 'SQLite (temporary file)').rsplit('@', 1)[-1]}")
    try:
        if args.before:
            small = folder / "compare.jsonl"
            write_reports(small, args.compare_reports)
            print(f"before/after: {args.compare_reports} reports, {small.stat().st_size / 1e6:.1f} MB", flush=True)
            runs = {"before": [], "after": []}
            for _ in range(args.repeat):
                for label, root in (("before", args.before), ("after", HERE.parents[1])):
                    print(f"  {label} ({load()})", flush=True)
                    runs[label].append(child(root, small))
                    show(f"  {label}", runs[label][-1])
            best = {label: min(results, key=lambda r: r["cpu"]) for label, results in runs.items()}
            ratio = best["before"]["cpu"] / best["after"]["cpu"]
            print(
                f"after/before, best of {args.repeat}: CPU a report x{ratio:.1f} "
                f"less, wall x{best['before']['wall'] / best['after']['wall']:.1f} less, queries a report "
                f"{best['before']['queries'] / best['before']['reports']:.2f} -> "
                f"{best['after']['queries'] / best['after']['reports']:.2f}",
                flush=True,
            )
        if args.reports:
            print(f"{args.reports} reports: writing the file", flush=True)
            big = folder / "reports.jsonl"
            write_reports(big, args.reports)
            print(f"{args.reports} reports, {big.stat().st_size / 1e6:.0f} MB ({load()})", flush=True)
            show("import", child(HERE.parents[1], big))
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()

"""Every page issue 14 names, at scale: p50/p95, query counts and EXPLAIN, with the stock search beside ours.

Builds (or reuses, topping up) a PostgreSQL database of `generate_corpus` reports, links some of them
to a meeting and an agreement of the demo record so those pages have coverage to show, runs
`VACUUM ANALYZE`, then requests each page through Django's test client (the whole request, no network):
once cold (right after the archive's data generation moved, as after any edit: nothing cached), then
`--runs` times warm, with the CPU time each request cost (this process plus its PostgreSQL server
process, read from /proc; parallel query is off so that all of it is counted there), the figure to
compare on a shared machine. For every search it also times, in the same run, the stock approach a user would
otherwise pick: `to_tsvector('arabic', body)` in a GIN index, `ts_rank`, `ORDER BY rank LIMIT 20`.
It saves `EXPLAIN (ANALYZE, BUFFERS)` of every query one request of each page made to `--explain`.

    createdb -h 127.0.0.1 -U postgres scale_100k
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_100k \\
        .venv/bin/python benchmarks/bench_scale.py --reports 100000 --explain benchmarks/out/explain-100k.txt

It refuses a database whose name does not contain "scale", since it writes freely. Admin, exports and
imports are timed with `--admin` and `--exports` (peak RSS of the streaming process).
"""

import argparse
import datetime
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.test_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles import derived  # noqa: E402
from articles.models import Article, Source  # noqa: E402
from diplomacy.models import Agreement, Meeting, Participant  # noqa: E402

# The query kinds of the issue, on generate_corpus text (see docs/performance.md, "Search").
QUERIES = [
    ("rare word", "ثانوج"),
    ("phrase", '"دير الورد"'),
    ("three words", "ظريف بوغدانوف الدستور"),
    ("person, 12%", "لافروف"),
    ("word in 85%", "الخارجية"),
    ("word in every report", "في"),
    ("A OR B -C", "إدلب OR حلب -روسيا"),
]
STOCK_INDEX = "scale_stock_arabic_body"
SLOW_STOCK_MS = 20_000  # a stock query slower than this is timed once
MEETING_SHARE, AGREEMENT_SHARE = 200, 50  # one report in N covers the demo meeting / agreement


def fill(n_reports, stock=True):
    """Top the database up to `n_reports` generated reports, with the demo record linked to some of them."""
    if not Meeting.objects.filter(slug="kerry-lavrov-talks-2016-03-24").exists():
        call_command("load_demo", verbosity=0)
    generated = Article.objects.filter(source__slug__startswith="gen-").count()
    if generated < n_reports:
        call_command("generate_corpus", n_reports - generated, verbosity=0)
    meeting = Meeting.objects.get(slug="kerry-lavrov-talks-2016-03-24")
    agreement = Agreement.objects.get(slug="syria-cessation-of-hostilities-2016")
    with connection.cursor() as cursor:
        for table, column, pk, share in (
            (Article.meetings.through._meta.db_table, "meeting_id", meeting.pk, MEETING_SHARE),
            (Article.agreements.through._meta.db_table, "agreement_id", agreement.pk, AGREEMENT_SHARE),
        ):
            cursor.execute(
                f"INSERT INTO {table} (article_id, {column}) SELECT a.id, %s FROM articles_article a "
                f"WHERE a.id %% %s = 0 AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.article_id = a.id "
                f"AND t.{column} = %s)",
                [pk, share, pk],
            )
    derived.bump_generation()  # the raw links above are a write like any other
    with connection.cursor() as cursor:
        if stock:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {STOCK_INDEX} ON articles_article USING gin (to_tsvector('arabic', body))"
            )
        cursor.execute("VACUUM ANALYZE")
    return meeting, agreement


def stock_search(q):
    """The stock approach: PostgreSQL's `arabic` configuration, ranked by ts_rank, the first 20 ids."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM articles_article, websearch_to_tsquery('arabic', %s) query "
            "WHERE status = 'published' AND to_tsvector('arabic', body) @@ query "
            "ORDER BY ts_rank(to_tsvector('arabic', body), query) DESC, id LIMIT 20",
            [q],
        )
        return cursor.fetchall()


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


_backend = {}


def backend_cpu():
    """CPU seconds used so far by this connection's PostgreSQL server process (it runs on this machine)."""
    if "pid" not in _backend:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _backend["pid"] = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{_backend['pid']}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(function, runs, cpu=None):
    """Wall ms of each run; with a list `cpu`, also appends each run's CPU ms (this process + PostgreSQL's)."""
    times = []
    for _ in range(runs):
        start, start_cpu, start_db = time.perf_counter(), time.process_time(), backend_cpu()
        function()
        times.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - start_cpu + backend_cpu() - start_db) * 1000)
    return times


class Bench:
    def __init__(self, client, runs, explain):
        self.client, self.runs, self.explain = client, runs, explain
        self.rows = []

    def get(self, url, **headers):
        response = self.client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
        if getattr(response, "streaming", False):
            for _ in response.streaming_content:
                pass
        return response

    def page(self, label, url, **headers):
        derived.bump_generation()  # as after an edit: whatever is kept per generation is gone
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            self.get(url, **headers)
            cold = (time.perf_counter() - start) * 1000
        cold_queries = [q["sql"] for q in ctx.captured_queries]
        with CaptureQueriesContext(connection) as ctx:
            self.get(url, **headers)
        warm_queries = [q["sql"] for q in ctx.captured_queries]
        cpu = []
        times = timed(lambda: self.get(url, **headers), self.runs, cpu)
        reset_queries()
        self.rows.append((label, url, cold, statistics.median(times), percentile(times, 0.95), len(warm_queries)))
        print(
            f"| {label} | `{url}` | {cold:.0f} | {statistics.median(times):.0f} | {percentile(times, 0.95):.0f} "
            f"| {statistics.median(cpu):.0f} | {len(cold_queries)} / {len(warm_queries)} |",
            flush=True,
        )
        if self.explain:
            self.save_plans(label, url, cold_queries)

    def save_plans(self, label, url, queries):
        with open(self.explain, "a", encoding="utf-8") as out:
            out.write(f"\n\n######## {label}: {url} ({len(queries)} queries, cold)\n")
            for sql in queries:
                out.write(f"\n--- {sql}\n")
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                    out.write("\n".join(row[0] for row in cursor.fetchall()) + "\n")


def busiest_participant():
    through = Article.participants.through
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT participant_id FROM {through._meta.db_table} "
            "GROUP BY participant_id ORDER BY COUNT(*) DESC LIMIT 1"
        )
        return Participant.objects.get(pk=cursor.fetchone()[0])


def public_pages(bench, meeting, agreement):
    article = Article.objects.filter(source__slug__startswith="gen-").order_by("-id").first()
    person = busiest_participant()
    source = Source.objects.filter(slug__startswith="gen-").order_by("slug").first()
    topic = Article.topics.through.objects.filter(article__source=source).values_list("topic__slug", flat=True)[0]
    print("| page | address | cold ms | p50 ms | p95 ms | CPU p50 ms | queries cold / warm |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    bench.page("home", "/")
    bench.page("list, unfiltered", "/articles/")
    bench.page("list, unfiltered, 100 a page", "/articles/?page_size=100")
    bench.page("list, one facet", f"/articles/?participant={person.slug}")
    bench.page("list, three facets", f"/articles/?participant={person.slug}&topic={topic}&source={source.slug}")
    for label, q in QUERIES:
        bench.page(f"search: {label}", f"/search/?q={q}")
    for label, q in QUERIES:
        bench.page(f"API search: {label}", f"/api/v1/articles/?q={q}")
    bench.page("report page", f"/articles/{article.pk}/")
    bench.page("API detail", f"/api/v1/articles/{article.pk}/")
    bench.page("busiest participant", f"/participants/{person.slug}/")
    bench.page("meeting", f"/meetings/{meeting.slug}/")
    bench.page("agreement", f"/agreements/{agreement.slug}/")
    bench.page("sources", "/sources/")
    bench.page("timeline", "/timeline/")
    bench.page("feed", "/feed/")
    bench.page("charts", "/charts/")
    bench.page("list, unfiltered (English)", "/en/articles/")


def stock_baseline(runs):
    """Ranked search side by side: ours through `search()` as the pages call it, and the stock approach."""
    from articles.search import search

    published = Article.objects.published()
    print("\n| query | ours p50 / p95 ms | stock p50 / p95 ms | stock p95 / ours p95 | CPU ms ours / stock |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, q in QUERIES:
        ours_cpu, stock_cpu = [], []
        ours = timed(lambda q=q: list(search(published, q).values_list("pk", flat=True)[:20]), runs, ours_cpu)
        stock = timed(lambda q=q: stock_search(q), 1, stock_cpu)
        if stock[0] < SLOW_STOCK_MS:  # the stock way can take a minute a query: then once is enough
            stock += timed(lambda q=q: stock_search(q), runs - 1, stock_cpu)
        print(
            f"| {label} `{q}` | {statistics.median(ours):.0f} / {percentile(ours, 0.95):.0f} "
            f"| {statistics.median(stock):.0f} / {percentile(stock, 0.95):.0f} "
            f"| {percentile(stock, 0.95) / percentile(ours, 0.95):.1f} "
            f"| {statistics.median(ours_cpu):.0f} / {statistics.median(stock_cpu):.0f} |",
            flush=True,
        )


def admin_pages(bench, meeting):
    from django.contrib.auth.models import User

    user, _ = User.objects.get_or_create(username="scale-bench", defaults={"is_staff": True, "is_superuser": True})
    user.is_staff = user.is_superuser = True
    user.save()
    bench.client.force_login(user)
    article = Article.objects.filter(source__slug__startswith="gen-").order_by("-id").first()
    annotated = Article.objects.filter(quotes__isnull=False).order_by("id").first() or article
    source = Source.objects.filter(slug__startswith="gen-").order_by("slug").first()
    year = Article.objects.filter(source=source).exclude(published=None).values_list("published", flat=True)[0]
    print("\n| admin page | address | cold ms | p50 ms | p95 ms | CPU p50 ms | queries cold / warm |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    reports = "/admin/articles/article/"
    bench.page("reports", reports)
    bench.page("reports, published", f"{reports}?status__exact=published")
    bench.page("reports, one source", f"{reports}?source__id__exact={source.pk}")
    bench.page("reports, one year", f"{reports}?published__year={year.year}")
    bench.page("reports, one month", f"{reports}?published__year={year.year}&published__month={year.month}")
    bench.page("reports, in English", f"{reports}?language__exact=en&language=en")
    bench.page("reports, searched", f"{reports}?q=لافروف")
    bench.page("reports, searched, rare", f"{reports}?q=ثانوج")
    bench.page("mentions", "/admin/articles/mention/")
    bench.page("quotes", "/admin/articles/quote/")
    bench.page("participants", "/admin/diplomacy/participant/")
    bench.page("meetings", "/admin/diplomacy/meeting/")
    bench.page("agreements", "/admin/diplomacy/agreement/")
    bench.page("sources", "/admin/articles/source/")
    bench.page("annotator's change page", f"/admin/articles/article/{article.pk}/change/")
    bench.page("annotator's change page, annotated", f"/admin/articles/article/{annotated.pk}/change/")
    bench.page("a report's history", f"/admin/articles/article/{annotated.pk}/history/")
    bench.client.logout()


EXPORT_CHILD = """
import os, sys, time
def peak():  # this process's own high-water mark (ru_maxrss would carry the forking parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.test_settings")
import django
django.setup()
from django.conf import settings
from django.test import Client
settings.ALLOWED_HOSTS = ["testserver"]
settings.REST_FRAMEWORK = {{**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}}
start = time.perf_counter()
response = Client().get({url!r})
assert response.status_code == 200, response.status_code
size = rows = 0
for chunk in response.streaming_content:
    size += len(chunk)
    rows += chunk.count(b"\\n")
print(rows, size, time.perf_counter() - start, peak())
"""


def exports():
    """Each export in a process of its own, so its peak RSS is the export's (VmHWM, KB)."""
    print("\n| export | lines | MB | seconds | peak RSS MB | RSS of a bare process MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    bare = EXPORT_CHILD.split("start = ")[0] + "print(peak())"
    bare = subprocess.run(
        [sys.executable, "-c", bare.format(root=str(ROOT))], capture_output=True, text=True, check=True
    )
    bare_mb = f"{int(bare.stdout.split()[-1]) / 1024:.0f}"
    for url in ("/api/v1/articles/?format=csv", "/api/v1/articles/?format=jsonl"):
        done = subprocess.run(
            [sys.executable, "-c", EXPORT_CHILD.format(root=str(ROOT), url=url)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows, size, seconds, rss = done.stdout.split()
        mb, rss_mb = int(size) / 1e6, int(rss) / 1024
        print(f"| `{url}` | {rows} | {mb:.0f} | {float(seconds):.1f} | {rss_mb:.0f} | {bare_mb} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100000, help="generated reports to have (tops up)")
    parser.add_argument("--runs", type=int, default=20, help="warm requests a page")
    parser.add_argument("--explain", help="file for EXPLAIN (ANALYZE, BUFFERS) of every query (overwritten)")
    parser.add_argument("--admin", action="store_true", help="also the admin changelists and change page")
    parser.add_argument("--exports", action="store_true", help="also the CSV and JSON Lines exports (peak RSS)")
    parser.add_argument("--only", help="only pages whose label contains this")
    parser.add_argument("--no-public", action="store_true", help="skip the public pages")
    parser.add_argument("--no-stock", action="store_true", help="skip the side-by-side with the stock search")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL (DATABASE_URL=postgres://...).")
    name = str(connection.settings_dict["NAME"])
    if "scale" not in name:
        sys.exit(f"Refusing to write to database {name!r}: its name must contain 'scale'.")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    meeting, agreement = fill(args.reports, stock=not args.no_stock)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), pg_size_pretty(pg_database_size(current_database()))")
        version, size = cursor.fetchone()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"# {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {version.split(',')[0]}, database {size}, "
        f"{Article.objects.published().count()} published reports (ready in {time.perf_counter() - started:.0f} s), "
        f"load average {load}, {args.runs} warm runs a page"
    )
    if args.explain:
        Path(args.explain).parent.mkdir(parents=True, exist_ok=True)
        Path(args.explain).write_text(f"# EXPLAIN (ANALYZE, BUFFERS), {name}, load {load}\n", encoding="utf-8")
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    with connection.cursor() as cursor:
        # all of a query's work in this connection's server process, where its CPU time is read
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    bench = Bench(Client(), args.runs, args.explain)
    for url in ("/", "/en/", "/api/v1/", "/articles/?page_size=1&published_after=2031-01-01"):
        bench.client.get(url)  # the process's first requests load templates and translations: not a page's cost
    if args.only:
        original = bench.page
        bench.page = lambda label, url, **h: original(label, url, **h) if args.only in label else None
    if not args.no_public:
        public_pages(bench, meeting, agreement)
    if not args.no_stock:
        stock_baseline(max(5, args.runs // 2))
    if args.admin:
        admin_pages(bench, meeting)
    if args.exports:
        exports()
    print(f"# load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"# peak RSS of the benchmark {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

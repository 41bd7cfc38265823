"""How fast the researchers' instruments answer over a large archive (PostgreSQL).

The quote ledger (/quotes/, unfiltered and by speaker), a meeting's outlet comparison and its
evidence (the meeting page, the comparison in the API), an agreement's evidence, and
near-duplicate detection of a new text against every stored report (`near_duplicates`).

It fills a SEPARATE database with synthetic published reports by bulk SQL (INSERT … SELECT over
generate_series, so a million reports take minutes, not hours): each report has 3 quotes by
speakers drawn from 200 people, covers one of N/20 meetings (about 20 reports a meeting, as a
well-covered event has), and has a MinHash signature with its 16 bands; each meeting and
agreement has evidence. It refuses a database whose name does not contain "bench". Each line is
measured warm (between writes: what is kept per data generation comes from the cache) and cold
(the data generation raised before each run, as the first request after any write).

    createdb -h 127.0.0.1 -U postgres diplo_instruments_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/diplo_instruments_bench \\
        .venv/bin/python benchmarks/bench_instruments.py --reports 1000000 --runs 21
    # again on the rows already there (migrated first; copies added if an older fill had none):
    DATABASE_URL=... .venv/bin/python benchmarks/bench_instruments.py --reports 1000000 --reuse
"""

import argparse
import os
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
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.derived import bump_generation  # noqa: E402
from articles.duplicates import index_text, near_duplicates  # noqa: E402
from articles.models import Article  # noqa: E402

PEOPLE = 200
SOURCES = 50
QUOTE = "نص الاقتباس رقم "  # + 7 digits
# The body: three quotations at fixed offsets (the numbers are zero-padded), so spans are exact.
HEAD = "قال المسؤول إن «"
MIDDLE = "» وأضاف «"
TAIL = "» في ختام المحادثات التي تناولت الأزمة السورية ووقف إطلاق النار والمساعدات الإنسانية."


def quote_text(expr, n):
    return f"'{QUOTE}' || lpad(({expr})::text, 7, '0') || '-{n}'"


def fill(n):
    call_command("load_demo", "--with-second", verbosity=0)
    q_len = len(QUOTE) + 7 + 2
    starts = [len(HEAD), len(HEAD) + q_len + len(MIDDLE), len(HEAD) + 2 * (q_len + len(MIDDLE))]
    body = (
        f"'{HEAD}' || {quote_text('i', 1)} || '{MIDDLE}' || {quote_text('i', 2)} || '{MIDDLE}' || "
        f"{quote_text('i', 3)} || '{TAIL}'"
    )
    statements = [
        "SET session_replication_role = replica",  # no deferred span triggers for the bulk rows
        f"""INSERT INTO diplomacy_participant (kind, name_ar, name_en, slug, country, wikidata_id, description,
                                               created_at, updated_at)
            SELECT 'person', 'شخص ' || i, 'Person ' || i, 'bench-person-' || i, 'RU', '', '', now(), now()
            FROM generate_series(1, {PEOPLE}) i""",
        f"""INSERT INTO articles_source (name_ar, name_en, slug, url, country)
            SELECT 'مصدر ' || i, 'Source ' || i, 'bench-source-' || i, '', 'SA' FROM generate_series(1, {SOURCES}) i""",
        f"""INSERT INTO diplomacy_meeting (kind, title_ar, title_en, slug, start, date_precision, cameo_code, note,
                                           created_at, updated_at)
            SELECT 'meeting', 'لقاء ' || i, 'Meeting ' || i, 'bench-meeting-' || i,
                   DATE '2010-01-01' + (i % 5000), 'day', '', '', now(), now()
            FROM generate_series(1, {max(1, n // 20)}) i""",
        f"""INSERT INTO articles_article (source_id, title, body, language, published, approximate_precision,
                                          approximate_basis, url, byline, status, content_hash, version,
                                          created_at, updated_at)
            SELECT (SELECT min(id) FROM articles_source WHERE slug LIKE 'bench-source-%') + i % {SOURCES},
                   'تقرير رقم ' || i, {body}, 'ar', DATE '2010-01-01' + (i % 5000), 'day', '', '', '', 'published',
                   md5('bench-' || i) || md5('report-' || i), 1, now(), now()
            FROM generate_series(1, {n}) i""",
    ]
    people = "(SELECT min(id) FROM diplomacy_participant WHERE slug LIKE 'bench-person-%')"
    first_article = "(SELECT min(id) FROM articles_article WHERE title LIKE 'تقرير رقم %')"
    for k, start in enumerate(starts, start=1):
        statements.append(
            f"""INSERT INTO articles_quote (article_id, start, "end", text, needs_attention, created_at, updated_at,
                                            speaker_id, addressee_id, kind, meeting_id, translation_en, published)
                SELECT a.id, {start}, {start + q_len}, substr(a.body, {start + 1}, {q_len}), false, now(), now(),
                       {people} + (a.id * {k}) % {PEOPLE}, NULL, 'direct', NULL, '', a.published
                FROM articles_article a WHERE a.title LIKE 'تقرير رقم %'"""
        )
    statements += [
        f"""INSERT INTO articles_article_meetings (article_id, meeting_id)
            SELECT a.id, m0 + (a.id - a0) % {max(1, n // 20)}
            FROM articles_article a,
                 (SELECT min(id) m0 FROM diplomacy_meeting WHERE slug LIKE 'bench-meeting-%') m,
                 (SELECT {first_article} a0) f
            WHERE a.title LIKE 'تقرير رقم %'""",
        """INSERT INTO articles_textsignature (article_id, minhash)
            SELECT id, decode(repeat(md5(id::text), 32), 'hex') FROM articles_article WHERE title LIKE 'تقرير رقم %'""",
        """INSERT INTO articles_textband (article_id, band, hash)
            SELECT a.id, b, ('x' || substr(md5(a.id || '-' || b), 1, 16))::bit(64)::bigint
            FROM articles_article a, generate_series(0, 15) b WHERE a.title LIKE 'تقرير رقم %'""",
        """INSERT INTO articles_evidence (article_id, start, "end", text, needs_attention, created_at, updated_at,
                                          meeting_id, agreement_id, field, participant_id)
            SELECT am.article_id, 0, 3, 'قال', false, now(), now(), am.meeting_id, NULL, 'date', NULL
            FROM articles_article_meetings am""",
        *COPIES,
        *PARTICIPANTS,
        "SET session_replication_role = DEFAULT",
        "VACUUM ANALYZE",
    ]
    run(statements)
    for article in Article.objects.filter(source__name_en="Demo text") | Article.objects.filter(
        source__name_en="Al-Waght"
    ):
        index_text(article)


# One report in ten is a copy of the report before it (another outlet, the next id): the same signature
# and bands, and one group (`Article.copy_group`, which `duplicates.regroup` would give them), so the
# lists have copies to collapse, 5% of the reports.
COPIES = [
    """UPDATE articles_textsignature s SET minhash = p.minhash FROM articles_textsignature p, articles_article a
       WHERE a.id = s.article_id AND a.title LIKE 'تقرير رقم %' AND s.article_id % 10 = 1
         AND p.article_id = s.article_id - 1""",
    """UPDATE articles_textband b SET hash = p.hash FROM articles_textband p, articles_article a
       WHERE a.id = b.article_id AND a.title LIKE 'تقرير رقم %' AND b.article_id % 10 = 1
         AND p.article_id = b.article_id - 1 AND p.band = b.band""",
    """UPDATE articles_article SET copy_group = id - id % 10
       WHERE title LIKE 'تقرير رقم %' AND id % 10 IN (0, 1) AND id - id % 10 IN (SELECT id FROM articles_article
       WHERE title LIKE 'تقرير رقم %')""",
]


# `Article.participants`, as `derived.refresh_participants` keeps it: here the quotes' speakers. Visibility
# reads it (a person is public when a published report reaches them), so a ledger filtered by a speaker no
# published report reaches is refused, as an unknown one is.
PARTICIPANTS = [
    """INSERT INTO articles_article_participants (article_id, participant_id)
       SELECT DISTINCT q.article_id, q.speaker_id FROM articles_quote q
       JOIN articles_article a ON a.id = q.article_id AND a.title LIKE 'تقرير رقم %'
       WHERE q.speaker_id IS NOT NULL ON CONFLICT DO NOTHING""",
]


def run(statements):
    with connection.cursor() as cursor:
        for sql in statements:
            started = time.perf_counter()
            cursor.execute(sql)
            print(
                f"#   {sql.split()[0]} {sql.split()[2] if sql.startswith('INSERT') else sql.split()[1]}: "
                f"{time.perf_counter() - started:.1f} s",
                flush=True,
            )


def p95(times):
    return statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]


def measure(label, run, runs):
    """Warm: as a serving process answers between writes (what is kept per data generation is read
    from the cache). Cold: the first request after a write (the generation raised before each run)."""
    run()  # warm the caches once, as a serving process would be
    found = {}
    for kind in ("warm", "cold"):
        times = []
        for _ in range(runs):
            if kind == "cold":
                bump_generation()
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                run()
                times.append((time.perf_counter() - started) * 1000)
        found[kind] = (statistics.median(times), p95(times), len(ctx.captured_queries))
    (warm, warm95, warm_q), (cold, cold95, cold_q) = found["warm"], found["cold"]
    print(
        f"| {label} | {warm:.0f} ms | {warm95:.0f} ms | {cold:.0f} ms | {cold95:.0f} ms | {warm_q} / {cold_q} |",
        flush=True,
    )


def get(client, url):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--reuse", action="store_true", help="time the rows already in the database")
    args = parser.parse_args()
    name = str(connection.settings_dict["NAME"])
    if "bench" not in name or connection.vendor != "postgresql":
        sys.exit(f"Refusing database {name!r}: PostgreSQL, and its name must contain 'bench'.")
    call_command("migrate", verbosity=0)
    if not args.reuse:
        started = time.perf_counter()
        fill(args.reports)
        print(f"# filled in {time.perf_counter() - started:.0f} s")
    elif not Article.objects.exclude(copy_group=None).exists():  # filled by an older version of this script
        run([*COPIES, *PARTICIPANTS, "VACUUM ANALYZE"])
    elif not Article.participants.through.objects.filter(article__title__startswith="تقرير رقم").exists():
        run([*PARTICIPANTS, "VACUUM ANALYZE"])
    print(f"# {Article.objects.count()} reports, {connection.vendor}")
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    busy = "bench-meeting-7"
    wire = Article.objects.get(source__name_en="Demo text")
    print("| what | warm median | warm p95 | cold median | cold p95 | queries warm / cold |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    measure("ledger `/quotes/`", get(client, "/quotes/"), args.runs)
    measure(
        "ledger by speaker `/quotes/?speaker=bench-person-7`", get(client, "/quotes/?speaker=bench-person-7"), args.runs
    )
    measure(
        "ledger by outlet and year",
        get(client, "/quotes/?source=bench-source-3&published_after=2012-01-01&published_before=2012-12-31"),
        args.runs,
    )
    measure("API ledger `/api/v1/quotes/?speaker=…`", get(client, "/api/v1/quotes/?speaker=bench-person-7"), args.runs)
    measure(f"meeting page (comparison + evidence), `{busy}`", get(client, f"/meetings/{busy}/"), args.runs)
    measure("API comparison", get(client, f"/api/v1/meetings/{busy}/comparison/"), args.runs)
    measure("API evidence of a meeting", get(client, f"/api/v1/evidence/?meeting={busy}"), args.runs)
    measure("agreement page (evidence)", get(client, "/agreements/geneva-direct-talks-2016-03-24/"), args.runs)
    measure("near_duplicates(new text)", lambda: near_duplicates("موسكو - " + wire.body), args.runs)
    # (the unfiltered list counts its facets over every report: that is the scale work's, docs/performance.md)
    outlet = "/articles/?source=bench-source-3&published_after=2012-01-01&published_before=2012-12-31"
    measure("reports of an outlet and year, copies collapsed", get(client, outlet), args.runs)
    measure("the same, every copy (`&copies=all`)", get(client, outlet + "&copies=all"), args.runs)
    measure("an outlet's page `/sources/bench-source-3/`", get(client, "/sources/bench-source-3/"), args.runs)
    measure(
        "API reports `/api/v1/articles/?collapse=copies`", get(client, "/api/v1/articles/?collapse=copies"), args.runs
    )


if __name__ == "__main__":
    main()

"""Ranking on real news: nDCG@10 of the archive's search and of PostgreSQL's stock full-text search, in one run.

    .venv/bin/python benchmarks/eval_news.py                    # SQLite: ours
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME \\
        .venv/bin/python benchmarks/eval_news.py [--errors]     # PostgreSQL: ours and the stock baseline

Loads the real-news relevance set (`tests/relevance_news/`: 113 reports, 41
judged queries) into a throw-away test database (created and dropped here)
and runs every query through

- **ours**: `articles.search.search`, the first 10 results;
- **PostgreSQL `arabic`** (PostgreSQL only): what a user would otherwise pick,
  `to_tsvector('arabic', title || ' ' || body)` in a GIN index,
  `websearch_to_tsquery('arabic', q)` (the same syntax: words, "phrases", OR,
  -exclusion), `ORDER BY ts_rank(...) DESC LIMIT 10`.

For each it prints, over all queries and per split (dev / heldout), the mean
nDCG@10 (gain 2^grade - 1, log2 discount, ideal from the judgments) and the
number of queries whose top 10 holds every relevant report (or, with more than
10, only relevant ones). `--errors` lists each query below 1.0 with its top 10.
"""

import argparse
import math
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.test_settings")

import django
from django.apps import apps

if not apps.ready:  # imported by tests/test_search_news.py, Django is already set up (and on the test database)
    django.setup()

from django.db import connection
from django.test.utils import setup_databases, setup_test_environment, teardown_databases

from articles.models import Article
from articles.search import QueryError, search
from tests import relevance_news

K = 10
STOCK_INDEX = (
    "CREATE INDEX IF NOT EXISTS eval_news_arabic ON articles_article "
    "USING gin (to_tsvector('arabic', title || ' ' || body))"
)
STOCK_QUERY = (
    "SELECT id FROM articles_article, websearch_to_tsquery('arabic', %s) AS q "
    "WHERE to_tsvector('arabic', title || ' ' || body) @@ q "
    "ORDER BY ts_rank(to_tsvector('arabic', title || ' ' || body), q) DESC, id LIMIT %s"
)


def grades(query):
    return {name: j["grade"] for name, j in query["judgments"].items()}


def ndcg(ranked, graded, k=K):
    dcg = sum((2 ** graded.get(name, 0) - 1) / math.log2(i + 2) for i, name in enumerate(ranked[:k]))
    ideal = sorted(graded.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 1.0


def all_relevant_on_top(ranked, graded, k=K):
    relevant = {name for name, g in graded.items() if g > 0}
    wanted = min(k, len(relevant))
    return sum(name in relevant for name in ranked[:wanted]) == wanted


def ours(q, names):
    try:
        return [names[pk] for pk in search(Article.objects.all(), q).values_list("pk", flat=True)[:K]]
    except QueryError:
        return []


def stock(q, names):
    with connection.cursor() as cursor:
        cursor.execute(STOCK_QUERY, [q, K])
        return [names[pk] for (pk,) in cursor.fetchall()]


def evaluate(systems=None):
    """{system: {query id: (ranked names, nDCG@10, all relevant on top)}} over the loaded set."""
    if systems is None:
        systems = {"ours": ours}
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # before the rows: not in a transaction with pending triggers
                cursor.execute(STOCK_INDEX)
            systems["PostgreSQL `arabic`"] = stock
    ids = relevance_news.load()
    names = {pk: name for name, pk in ids.items()}
    results = {}
    for system, run in systems.items():
        results[system] = {}
        for query in relevance_news.queries():
            ranked = run(query["q"], names)
            graded = grades(query)
            results[system][query["id"]] = (ranked, ndcg(ranked, graded), all_relevant_on_top(ranked, graded))
    return results


def summary(per_query, split=None):
    chosen = [q["id"] for q in relevance_news.queries(split)]
    scores = [per_query[i][1] for i in chosen]
    return sum(scores) / len(scores), sum(per_query[i][2] for i in chosen), len(chosen)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the queries below 1.0 with their top 10")
    args = parser.parse_args()
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        results = evaluate()
        reports, queries = len(relevance_news.report_files()), len(relevance_news.queries())
        print(f"{connection.vendor}: {reports} reports, {queries} queries\n")
        print("| system | nDCG@10 all | all relevant in top 10 | nDCG@10 dev | nDCG@10 held out |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for system, per_query in results.items():
            mean, top, n = summary(per_query)
            dev, _, _ = summary(per_query, "dev")
            held, _, _ = summary(per_query, "heldout")
            print(f"| {system} | {mean:.3f} | {top}/{n} | {dev:.3f} | {held:.3f} |")
        if args.errors:
            queries = {q["id"]: q for q in relevance_news.queries()}
            for system, per_query in results.items():
                print(f"\n## {system}")
                for qid, (ranked, score, _) in per_query.items():
                    if score < 0.999:
                        graded = grades(queries[qid])
                        shown = " ".join(f"{name}({graded.get(name, 0)})" for name in ranked)
                        print(f"- {qid} `{queries[qid]['q']}` [{queries[qid]['split']}] {score:.2f}: {shown}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()

"""Score the search against PostgreSQL's `arabic` configuration and a plain substring match, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/diplo_search .venv/bin/python benchmarks/eval_search.py

Loads the relevance corpus of `tests/search_corpus/` into a throw-away test
database (``test_<name>``, created and dropped here), runs every case through
three systems and prints a Markdown table (copied into docs/search.md):

- **ours**: `articles.search.search`;
- **PostgreSQL `arabic`**: `to_tsvector('arabic', title || ' ' || body) @@
  websearch_to_tsquery('arabic', q)`, which understands the same syntax
  (words, "phrases", OR, -exclusion);
- **substring**: every word (or quoted phrase) must occur in the title or
  body as typed, `OR` and `-` as in the query language, no normalisation.

A case is right when the system returns exactly the expected reports.
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diplomacy.test_settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.search import search  # noqa: E402
from tests import search_corpus  # noqa: E402

UNIT = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')


def substring_match(text, q):
    """The query language over raw substrings: units, OR between them, -exclusion."""
    text = text.lower()
    groups, pending_or = [], False
    for negated, phrase, word in UNIT.findall(q):
        if word == "OR" and not negated:
            pending_or = True
            continue
        unit = (phrase if phrase is not None and word == "" else word).lower()
        if not unit:
            continue
        if pending_or and groups:
            groups[-1][1].append(unit)
        else:
            groups.append((bool(negated), [unit]))
        pending_or = False
    found = [(negated, any(u in text for u in units)) for negated, units in groups]
    return bool(found) and all(hit != negated for negated, hit in found)


def arabic_config(q):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM articles_article "
            "WHERE to_tsvector('arabic', title || ' ' || body) @@ websearch_to_tsquery('arabic', %s)",
            [q],
        )
        return {row[0] for row in cursor.fetchall()}


def score(found_sets, cases):
    right = sum(found == set(case["expect"]) for found, case in zip(found_sets, cases, strict=True))
    hits = sum(len(found & set(case["expect"])) for found, case in zip(found_sets, cases, strict=True))
    returned = sum(len(found) for found in found_sets)
    expected = sum(len(case["expect"]) for case in cases)
    return right, hits / returned if returned else 0.0, hits / expected


def main():
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to PostgreSQL: the comparison needs its `arabic` configuration.")
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        articles = search_corpus.load()
        key_of = {article.pk: key for key, article in articles.items()}
        texts = {key: f"{a.title}\n{a.body}" for key, a in articles.items()}
        cases = search_corpus.cases()
        systems = {
            "ours": lambda q: {key_of[a.pk] for a in search(Article.objects.all(), q)},
            "PostgreSQL `arabic`": lambda q: {key_of[pk] for pk in arabic_config(q)},
            "substring": lambda q: {key for key, text in texts.items() if substring_match(text, q)},
        }
        results = {name: [run(case["q"]) for case in cases] for name, run in systems.items()}
        print(f"{len(cases)} cases over {len(articles)} reports\n")
        print("| system | cases right | precision | recall |")
        print("| --- | ---: | ---: | ---: |")
        for name, found in results.items():
            right, precision, recall = score(found, cases)
            print(f"| {name} | {right}/{len(cases)} | {precision:.2f} | {recall:.2f} |")
        print("\nCases the `arabic` configuration gets wrong (missed / wrongly found):\n")
        for case, found in zip(cases, results["PostgreSQL `arabic`"], strict=True):
            expected = set(case["expect"])
            if found != expected:
                missed, extra = sorted(expected - found), sorted(found - expected)
                print(f"- `{case['q']}` ({case['about']}): missed {len(missed)}, wrongly found {len(extra)}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()

"""Relevance: every query of the evaluation corpus finds exactly the reports a researcher means.

The corpus and the cases are in `tests/search_corpus/`; the same cases are
scored against PostgreSQL's `arabic` configuration and a substring match by
`benchmarks/eval_search.py` (results in docs/search.md).
"""

import pytest

from articles.models import Article
from articles.search import search
from tests import search_corpus

pytestmark = pytest.mark.django_db

CASES = search_corpus.cases()


def test_every_query_finds_what_is_meant(db):
    """One test for the whole table (loading the corpus once), failing with every case that went wrong."""
    corpus = search_corpus.load()
    keys = {article.pk: key for key, article in corpus.items()}
    failures = []
    for case in CASES:
        found = [keys[a.pk] for a in search(Article.objects.all(), case["q"])]
        if sorted(found) != case["expect"]:
            failures.append(f"{case['q']} ({case['about']}): found {sorted(found)}, expected {case['expect']}")
        elif "first" in case and found[0] != case["first"]:
            failures.append(f"{case['q']} ({case['about']}): {found[0]} ranked first, not {case['first']}")
    assert not failures, "\n".join(failures)

"""Exports: CSV and JSON Lines of a whole filtered list, and W3C Web Annotations of one report."""

import csv
import io
import json

import pytest

from articles.models import Article
from tests.api_support import *  # noqa: F403  (the API fixtures)
from tests.api_support import API, make_articles
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_export_streams_the_whole_filtered_set_with_a_bom(api, demo):
    made = make_articles(23)
    make_article(status=Article.Status.DRAFT, title="مسودة سرية")
    response = api.get(f"{API}/articles/?format=csv&page_size=5")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="articles.csv"' in response["Content-Disposition"]
    raw = content(response)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(made) + 1  # every published report, not one page; no draft
    assert "مسودة سرية" not in raw.decode("utf-8")
    seed = next(r for r in rows if r["id"] == str(demo.pk))
    assert seed["title"] == demo.title and seed["body"] == demo.body  # Arabic and newlines survive
    assert seed["source"] == demo.source.slug


def test_csv_export_follows_filters_and_flattens_nested_fields(api, demo):
    make_articles(3)
    rows = list(
        csv.DictReader(io.StringIO(content(api.get(f"{API}/quotes/?format=csv&speaker=kerry")).decode("utf-8-sig")))
    )
    assert rows and {r["speaker"] for r in rows} == {"kerry"}
    meetings = content(api.get(f"{API}/meetings/?format=csv")).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(meetings)))
    assert "participants" in header and "topics" in header


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(api):
    make_article(title='=HYPERLINK("http://evil")', body="نص")
    rows = list(csv.DictReader(io.StringIO(content(api.get(f"{API}/articles/?format=csv")).decode("utf-8-sig"))))
    assert rows[0]["title"].startswith("'=")


def test_jsonl_export_is_one_object_a_line_for_the_whole_set_in_order(api):
    made = make_articles(1201 // 100)  # a few
    extra = [make_article(title=f"كيري {i}", body="كيري") for i in range(3)]
    response = api.get(f"{API}/articles/?format=jsonl")
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = content(response).decode("utf-8").splitlines()
    objects = [json.loads(line) for line in lines]
    expected = [a.pk for a in Article.objects.order_by(*Article._meta.ordering)]
    assert [o["id"] for o in objects] == expected and len(expected) == len(made) + len(extra)
    assert all("body" in o for o in objects)
    searched = [json.loads(x)["id"] for x in content(api.get(f"{API}/articles/?format=jsonl&q=كيري")).splitlines()]
    assert sorted(searched) == sorted(a.pk for a in extra)


def test_exports_cross_chunk_boundaries(api, monkeypatch):
    from articles.api import views

    monkeypatch.setattr(views, "EXPORT_CHUNK", 4)
    made = make_articles(10)
    ids = [
        json.loads(x)["id"] for x in content(api.get(f"{API}/articles/?format=jsonl&ordering=published")).splitlines()
    ]
    assert sorted(ids) == sorted(a.pk for a in made) and len(ids) == 10


def test_errors_stay_json_when_an_export_was_asked_for(api):
    response = api.get(f"{API}/articles/?format=csv&published_after=never")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["fields"]["published_after"]


def test_web_annotations_of_a_report(api, demo):
    response = api.get(f"{API}/articles/{demo.pk}/annotations/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["ETag"]
    collection = json.loads(response.content)
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == demo.quotes.count() + demo.mentions.count()
    for item in items:
        # The target is the body as text (what the offsets count into), not the article's JSON.
        assert item["type"] == "Annotation" and item["target"]["source"]["id"].endswith(f"/articles/{demo.pk}/text/")
        position, quote = item["target"]["selector"]
        assert position["type"] == "TextPositionSelector" and quote["type"] == "TextQuoteSelector"
        assert demo.body[position["start"] : position["end"]] == quote["exact"]
        assert demo.body[: position["start"]].endswith(quote["prefix"])
        assert demo.body[position["end"] :].startswith(quote["suffix"])
    kerry_quotes = [i for i in items if any(b.get("source", "").endswith("/participants/kerry/") for b in i["body"])]
    assert kerry_quotes
    annotation = api.get(kerry_quotes[0]["id"])  # each annotation's id is its address
    assert annotation.status_code == 200 and annotation.json()["id"] == kerry_quotes[0]["id"]

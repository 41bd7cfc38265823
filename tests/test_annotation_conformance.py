"""Web Annotations as an annotation client reads them: pyld expands them with the W3C context, and
every address in them serves what it names, so offsets and ids hold for a client that follows them.

`tests/data/anno.jsonld` is the W3C Web Annotation context as published at
http://www.w3.org/ns/anno.jsonld (W3C Document License); pyld reads it through a document loader
that serves it from the repository, so nothing is downloaded.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pyld import jsonld

from articles.models import Article
from tests.api_support import *  # noqa: F403  (the API fixtures)
from tests.api_support import API
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ANNO_CONTEXT = json.loads((Path(__file__).parent / "data" / "anno.jsonld").read_text())
OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"


def local_loader(url, options=None):
    if url.rstrip("/") not in {"http://www.w3.org/ns/anno.jsonld", "https://www.w3.org/ns/anno.jsonld"}:
        raise jsonld.JsonLdError(f"Only the Web Annotation context is served offline, not {url}", "loading document")
    return {"contextUrl": None, "documentUrl": url, "document": ANNO_CONTEXT}


def path(url):
    return urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")


def fetch(api, url):
    response = api.get(path(url))
    assert response.status_code == 200, url
    return response


@pytest.fixture
def collection(api, demo):
    return json.loads(api.get(f"{API}/articles/{demo.pk}/annotations/").content)


def expand(document):
    return jsonld.expand(document, {"documentLoader": local_loader})


def test_pyld_expands_every_annotation_to_the_web_annotation_vocabulary(collection, demo):
    (expanded,) = expand(collection)
    assert expanded["@type"] == [f"{AS}OrderedCollection"]
    (page,) = expanded[f"{AS}first"]
    assert page["@type"] == [f"{AS}OrderedCollectionPage"]
    assert page[f"{AS}partOf"] == [{"@id": collection["id"]}]
    items = page[f"{AS}items"][0]["@list"]
    assert len(items) == demo.quotes.count() + demo.mentions.count()
    for item in items:
        assert item["@type"] == [f"{OA}Annotation"]
        (target,) = item[f"{OA}hasTarget"]
        (source,) = target[f"{OA}hasSource"]
        assert source["@id"].endswith(f"/articles/{demo.pk}/text/")
        kinds = {s["@type"][0] for s in target[f"{OA}hasSelector"]}
        assert kinds == {f"{OA}TextPositionSelector", f"{OA}TextQuoteSelector"}
    # The round trip: compacted again with the same context, nothing is lost.
    compacted = jsonld.compact(expanded, ANNO_CONTEXT, {"documentLoader": local_loader})
    assert compacted["first"]["items"][0]["id"] == collection["first"]["items"][0]["id"]


def test_offsets_hold_in_the_text_the_target_serves(api, collection):
    text_url = collection["first"]["items"][0]["target"]["source"]["id"]
    response = fetch(api, text_url)
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode("utf-8")
    for item in collection["first"]["items"]:
        position, quote = item["target"]["selector"]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])


def test_every_id_serves_what_it_names(api, collection):
    assert fetch(api, collection["id"]).json()["type"] == "AnnotationCollection"
    page = json.loads(fetch(api, collection["first"]["id"]).content)
    assert page["type"] == "AnnotationPage" and page["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert page["partOf"]["id"] == collection["id"]
    assert page["items"] == collection["first"]["items"]
    for item in collection["first"]["items"]:
        served = json.loads(fetch(api, item["id"]).content)
        assert served == {"@context": "http://www.w3.org/ns/anno.jsonld", **item}
        (expanded,) = expand(served)
        assert expanded["@id"] == item["id"]


def test_addresses_that_name_nothing_answer_404(api, demo):
    other = make_article()
    assert api.get(f"{API}/articles/{demo.pk}/annotations/?page=2").status_code == 404
    quote = demo.quotes.first()
    assert api.get(f"{API}/articles/{demo.pk}/annotations/quote-{quote.pk}/").status_code == 200
    assert api.get(f"{API}/articles/{other.pk}/annotations/quote-{quote.pk}/").status_code == 404
    assert api.get(f"{API}/articles/{demo.pk}/annotations/mention-{quote.pk + 10_000}/").status_code == 404


def test_a_draft_text_is_not_public(api):
    draft = make_article(status=Article.Status.DRAFT)
    assert api.get(f"{API}/articles/{draft.pk}/text/").status_code == 404

"""The API as the tools its users point at it see it: Redocly's linter, openapi-python-client, and
the schema rules those and schemathesis rely on (schemathesis itself runs in test_api_schema.py).

Redocly comes from npm (`package.json`), openapi-python-client from PyPI (requirements-dev.txt);
both run offline against the schema this server generates.
"""

import importlib
import json
import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.api_support import *  # noqa: F403  (the API fixtures)
from tests.api_support import API
from tests.factories import make_participant

ROOT = Path(__file__).resolve().parents[1]


def schema_in(client, language):
    response = client.get(f"{API}/schema/?format=json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def schema(client, db):
    return schema_in(client, "ar")


def walk(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for value in node:
            yield from walk(value, path)


def test_redocly_recommended_rules_pass_with_zero_errors_and_warnings(schema, tmp_path):
    npx = shutil.which("npx")
    assert npx, "npx (Node.js) is needed: `npm ci` installs @redocly/cli from package.json"
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema, ensure_ascii=False))
    result = subprocess.run(
        [npx, "--no-install", "redocly", "lint", str(path), "--config", str(ROOT / "redocly.yaml"), "--format=json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
    )
    report = json.loads(result.stdout)
    problems = [(p["ruleId"], p["location"][0]["pointer"]) for p in report["problems"]]
    assert problems == [], problems
    assert result.returncode == 0


def test_public_reads_name_anonymous_access_and_writes_do_not(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            anonymous = {} in operation.get("security", [])
            public_read = method == "get" and "/notes/" not in path and not path.endswith("/suggestions/")
            assert anonymous == (public_read or path.endswith("/auth/token/")), (method, path)


def test_nullable_fields_say_their_type(schema):
    components = schema["components"]["schemas"]
    for name in ("agreement", "meeting", "place", "participant"):
        prop = components["MentionInArticle"]["properties"][name]
        assert prop["type"] == "string" and prop["nullable"] is True
    assert components["ArticleList"]["properties"]["source"]["nullable"] is True
    source = components["ArticleDetail"]["properties"]["source"]
    assert source["nullable"] is True and source["type"] == "object"
    for _path, key, value in walk(components):
        if key == "properties":
            for prop in value.values():
                assert not prop.get("nullable") or "type" in prop


def test_generated_names_are_ascii_in_every_language(client, db):
    for path, key, value in walk(schema_in(client, "ar")):
        if "/example" in path:  # an example is data: Arabic text is the point of it
            continue
        assert key.isascii(), (path, key)
        if key not in {"description", "summary", "example", "value", "default"} and isinstance(value, str):
            assert value.isascii(), (path, key, value)


def test_the_generated_client_is_the_same_whatever_the_schema_language(client, db, tmp_path):
    arabic = generate(schema_in(client, "ar"), tmp_path / "ar")
    english = generate(schema_in(client, "en"), tmp_path / "en")
    files = sorted(p.relative_to(arabic) for p in arabic.rglob("*.py"))
    assert files == sorted(p.relative_to(english) for p in english.rglob("*.py"))
    assert all(str(f).isascii() for f in files)
    # Class and function names too, not only file names.
    defined = re.compile(r"^(?:class|def) (\w+)", re.M)
    for file in files:
        assert defined.findall((arabic / file).read_text()) == defined.findall((english / file).read_text()), file


def test_parameter_examples_match_their_schemas_and_ids_state_their_minimum(schema):
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                for example in parameter.get("examples", {}).values():
                    if parameter["schema"].get("type") == "array":
                        assert isinstance(example["value"], list), (path, parameter["name"])
    quotes = {p["name"]: p for p in schema["paths"][f"{API}/quotes/"]["get"]["parameters"]}
    assert quotes["article"]["schema"]["minimum"] == 1
    assert "OfficeRequest" not in schema["components"]["schemas"]


def test_an_empty_parameter_is_the_same_as_none_and_a_wrong_one_is_refused(api, db, demo):
    everything = api.get(f"{API}/quotes/").json()["results"]
    for query in ("kind=", "speaker=", "article=", "ordering=", "format=", "cursor=", "page_size="):
        response = api.get(f"{API}/quotes/?{query}")
        assert response.status_code == 200, query
        assert response.json()["results"] == everything, query
    assert api.get(f"{API}/meetings/?date_after=&kind=").status_code == 200
    assert api.get(f"{API}/articles/?status=&published_after=").status_code == 200
    refused = api.get(f"{API}/quotes/?article=0")
    assert refused.status_code == 400 and "article" in refused.json()["fields"]
    assert api.get(f"{API}/meetings/?date_after=2016-02-30").status_code == 400
    # An export ignores paging, but a paging value that is not valid is still refused.
    for query in ("page_size=4x", "cursor=k%C2%96", "page_size=0"):
        for fmt in ("csv", "jsonl"):
            assert api.get(f"{API}/topics/?format={fmt}&{query}").status_code == 400, (fmt, query)
    assert api.get(f"{API}/topics/?format=csv&page_size=").status_code == 200


def test_schema_documents_the_empty_value_rule(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    assert parameter.get("allowEmptyValue") is True, (path, method, parameter["name"])


def test_an_empty_format_on_a_write_is_no_format(editor_api, demo):
    # found by benchmarks/conformance.py: `PATCH …?format=` answered 200, as the schema now says it may
    response = editor_api.patch(f"{API}/participants/kerry/?format=", {"description": "وزير الخارجية"}, format="json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")


def test_an_empty_source_slug_is_refused_not_read_as_none(editor_api, demo):
    response = editor_api.post(f"{API}/articles/", {"title": "عنوان", "body": "نص", "source": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["source"] == ["An empty slug names nothing; send null for none."]
    assert not Article.objects.filter(title="عنوان").exists()


def test_a_bad_wikidata_id_is_a_field_message_in_the_request_language(editor_api, db):
    person = make_participant(slug="kerry")
    english = editor_api.patch(f"{API}/participants/kerry/", {"wikidata_id": "x1"}, format="json")
    assert english.status_code == 400
    assert english.json()["fields"] == {"wikidata_id": ["A Wikidata id is Q followed by digits, as in Q22316."]}
    arabic = editor_api.patch(
        f"{API}/participants/kerry/", {"wikidata_id": "x1"}, format="json", HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert arabic.json()["fields"]["wikidata_id"] == ["معرّف ويكي بيانات هو الحرف Q تتبعه أرقام، مثل Q22316."]
    assert "participant_wikidata_id_format" not in arabic.content.decode()
    person.refresh_from_db()
    assert person.wikidata_id == ""


def generate(schema, folder):
    """A Python client generated by openapi-python-client from `schema`, in `folder`/archive_client."""
    folder.mkdir()
    path = folder / "schema.json"
    path.write_text(json.dumps(schema, ensure_ascii=False))
    config = folder / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run over the generated code
    package = folder / "archive_client"
    command = [str(Path(sys.executable).with_name("openapi-python-client")), "generate", "--path", str(path)]
    command += ["--output-path", str(package), "--meta", "none", "--config", str(config)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout
    return package


@pytest.fixture
def generated_client(client, db, tmp_path):
    """A client generated from the Arabic schema, importable as `archive_client`."""
    generate(schema_in(client, "ar"), tmp_path / "gen")
    sys.path.insert(0, str(tmp_path / "gen"))
    try:
        yield importlib.import_module("archive_client")
    finally:
        sys.path.remove(str(tmp_path / "gen"))
        for name in [m for m in sys.modules if m == "archive_client" or m.startswith("archive_client.")]:
            del sys.modules[name]


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_lists_and_reads_reports_anonymously(generated_client, live_server, settings):
    settings.API_ANON_THROTTLE_RATE = None
    call_command("load_demo", "--seed-only", stdout=StringIO())
    articles_list = importlib.import_module("archive_client.api.articles.articles_list")
    articles_retrieve = importlib.import_module("archive_client.api.articles.articles_retrieve")
    quotes_list = importlib.import_module("archive_client.api.quotes.quotes_list")
    anonymous = generated_client.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    page = articles_list.sync(client=anonymous, page_size=5)
    (report,) = page.results
    assert report.source == Article.objects.get(pk=report.id).source.slug
    detail = articles_retrieve.sync(client=anonymous, id=report.id)
    assert detail.title == report.title and detail.body.startswith("أشاد وزير الخارجية")
    assert any(q.addressee is None for q in detail.quotes)  # nullable, typed so the client takes None
    quotes = quotes_list.sync(client=anonymous, page_size=100)
    assert [q.id for q in quotes.results] == [q.id for q in detail.quotes]

"""The OpenAPI schema, its browsable docs, and schemathesis run against the schema.

Schemathesis generates requests from the schema (a bounded number an
operation, with a fixed seed so CI runs are repeatable) and runs every one of its
checks (`--checks all`: no server error, status codes, content types, bodies and
headers as the schema says, anonymous access where the schema names it and only there,
well-formed data accepted and malformed data refused), configured by the project's
`schemathesis.toml` (the data-dependent 400s the schema documents).
"""

import datetime
import json
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from articles.models import Article, Mention, Note, Quote
from diplomacy.models import Agreement, AgreementParty, ParticipantAlias, Participation
from tests.api_support import *  # noqa: F403  (the API fixtures)
from tests.api_support import API
from tests.factories import make_article, make_meeting, make_participant, make_place, make_source, make_topic

EXAMPLES_AN_OPERATION = 6


def test_schema_is_openapi_3_and_describes_every_resource(api, db):
    response = api.get(f"{API}/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for resource in (
        "articles",
        "participants",
        "meetings",
        "agreements",
        "quotes",
        "mentions",
        "sources",
        "topics",
        "places",
        "notes",
    ):
        assert f"/api/v1/{resource}/" in paths, resource
        operation = paths[f"/api/v1/{resource}/"]["get"]
        assert operation["summary"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"cursor", "page_size", "ordering", "format"} <= names
        assert all(p.get("description") for p in operation["parameters"] if p["name"] != "format"), resource
    assert "/api/v1/articles/{id}/suggestions/" in paths and "/api/v1/articles/{id}/annotations/" in paths
    article_filters = {p["name"] for p in paths["/api/v1/articles/"]["get"]["parameters"]}
    assert {
        "q",
        "participant",
        "country",
        "topic",
        "source",
        "meeting",
        "agreement",
        "published_after",
        "published_before",
        "status",
    } <= article_filters
    q = next(p for p in paths["/api/v1/articles/"]["get"]["parameters"] if p["name"] == "q")
    assert q["examples"]
    assert schema["components"]["schemas"]["Error"]["required"] == ["status", "code", "message", "fields"]
    assert "400" in paths["/api/v1/articles/"]["get"]["responses"]
    assert "text/csv" in paths["/api/v1/articles/"]["get"]["responses"]["200"]["content"]


def test_browsable_docs_are_served_from_our_own_static_files(client, db):
    response = client.get(f"{API}/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    assert "/api/v1/schema/" in page


@pytest.fixture
def archive_for_fuzzing(db):
    """A small archive whose slugs match the schema's examples, so generated requests find records."""
    source = make_source(slug="al-waght")
    # an outlet `import_articles` named from its Arabic name: its slug and API address are Arabic
    arabic = make_source(slug="الشرق-الأوسط", name_ar="الشرق الأوسط", name_en="")
    topic = make_topic(slug="syria-war")
    place = make_place(slug="moscow")
    kerry = make_participant(slug="kerry", country="US")
    lavrov = make_participant(slug="lavrov", country="RU")
    ParticipantAlias(participant=lavrov, name="لافروف").save()
    russia = make_participant(slug="russia", kind="state", country="RU")
    meeting = make_meeting(slug="kerry-lavrov-press-2016-03-24", place=place)
    Participation.objects.create(meeting=meeting, participant=kerry)
    agreement = Agreement.objects.create(
        kind="understanding",
        status="agreed",
        title_ar="تفاهم",
        slug="security-dialogue-2016-03-24",
        announced=datetime.date(2016, 3, 24),
    )
    AgreementParty.objects.create(agreement=agreement, participant=russia)
    body = "قال كيري إن الحل سياسي.\nورد لافروف بأن الحوار مستمر."
    for status in (Article.Status.PUBLISHED, Article.Status.DRAFT):
        article = make_article(
            source=source,
            body=body,
            title=f"كيري ولافروف {status}",
            status=status,
            published=datetime.date(2016, 3, 24),
        )
        article.topics.add(topic)
        article.meetings.add(meeting)
        article.agreements.add(agreement)
        Quote.objects.create(article=article, start=15, end=23, text=body[15:23], speaker=kerry)
        Mention.objects.create(article=article, start=4, end=8, text="كيري", participant=kerry)
        Note.objects.create(article=article, start=0, end=3, text="قال", note="ملاحظة")
    make_article(source=arabic, title="تقرير من الشرق الأوسط", body=body, published=datetime.date(2016, 3, 25))


@pytest.fixture
def fuzzing(archive_for_fuzzing, settings):
    settings.API_ANON_THROTTLE_RATE = None  # schemathesis sends many requests in a row
    settings.ALLOWED_HOSTS = ["*"]  # its WSGI client calls the app as "localhost"
    # Called as a plain WSGI app, Django would close the database connection after each request
    # (and with it the test's transaction); Django's own test client switches this off the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def load_schema():
    """The schema as /api/v1/schema/ serves it, generated without a request (no database needed)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    config = SchemathesisConfig.from_path(Path(__file__).resolve().parents[1] / "schemathesis.toml")
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)), config=config)
    loaded.app = get_wsgi_application()
    # The explicit examples and a bounded random phase; schemathesis's exhaustive "coverage" phase
    # would send hundreds of requests an operation, too slow for every CI run on two databases.
    loaded.config.phases.coverage.enabled = False
    return loaded


schema = load_schema()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_AN_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_anonymous_clients_without_server_errors_and_as_documented(case, fuzzing):
    case.call_and_validate()


@pytest.fixture
def editor_token(editor):
    return Token.objects.create(user=editor).key


@pytest.mark.django_db
@schema.include(method=["POST", "PUT", "PATCH", "DELETE"]).parametrize()
@settings(
    max_examples=EXAMPLES_AN_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_refuses_bad_writes_from_editors_without_server_errors(case, fuzzing, editor_token):
    case.call_and_validate(headers={"Authorization": f"Token {editor_token}"})


def test_the_docs_assets_are_in_our_static_files():
    from django.contrib.staticfiles import finders

    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{asset}"), asset


@pytest.mark.browser
def test_the_docs_page_renders_the_schema_without_loading_anything_from_elsewhere(live_server, settings):
    from urllib.parse import urlsplit

    from playwright.sync_api import sync_playwright

    settings.API_ANON_THROTTLE_RATE = None
    host = urlsplit(live_server.url).netloc
    elsewhere = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            page.on("request", lambda r: urlsplit(r.url).netloc not in {host, ""} and elsewhere.append(r.url))
            page.goto(f"{live_server.url}/api/v1/docs/")
            title = page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
            assert "Diplomacy Archive API" in title.inner_text()
            page.wait_for_selector("text=/api/v1/articles/", timeout=20_000)
        finally:
            browser.close()
    assert elsewhere == []


# Found by benchmarks/conformance.py on a live archive with tests/realnews imported, which the
# random examples above had not met: each operation and request, checked against the schema.
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/sources/", {}),  # an Arabic slug, and its address percent-encoded: a URI
        ("/api/v1/articles/", {"source": "الشرق-الأوسط"}),
        ("/api/v1/sources/{slug}/", {}),
        ("/api/v1/meetings/{slug}/comparison/", {"page_size": 50}),  # no pagination, as documented
    ],
)
def test_what_a_live_archive_showed_answers_as_its_schema_says(fuzzing, path, query):
    slug = "الشرق-الأوسط" if "sources" in path else "kerry-lavrov-press-2016-03-24"
    operation = schema[path]["GET"]
    case = operation.Case(path_parameters={"slug": slug} if "{slug}" in path else {}, query=query)
    response = case.call_and_validate()
    assert response.status_code == 200, response.text
    if path == "/api/v1/sources/":
        urls = [row["url"] for row in response.json()["results"]]
        assert (
            "http://localhost/api/v1/sources/%D8%A7%D9%84%D8%B4%D8%B1%D9%82-%D8%A7%D9%84%D8%A3%D9%88%D8%B3%D8%B7/"
            in urls
        )


@pytest.mark.django_db
def test_an_overlong_username_is_a_field_error_not_a_server_error(api):
    # django-axes records each failed sign-in in a varchar(255): PostgreSQL refused a longer name
    response = api.post(f"{API}/auth/token/", {"username": "x" * 300, "password": "secret"}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()["fields"]

"""What a visitor sees when something is wrong: localised, styled 404 and 500 pages, friendly
messages for a bad filter value, and the addresses browsers and programs try first
(`/favicon.ico`, the API root)."""

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from articles.public import views
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "heading", "lang"),
    [("/no-such-page/", "الصفحة غير موجودة", "ar"), ("/en/no-such-page/", "Page not found", "en")],
)
def test_a_missing_page_is_a_styled_page_in_the_readers_language(client, url, heading, lang):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert heading in html
    assert "css/site.css" in html  # the site's own layout, not Django's bare page
    assert "Not Found" not in html


def test_a_draft_or_an_unknown_report_gets_the_same_page(client):
    draft = make_article(status="draft")
    for url in (f"/articles/{draft.pk}/", "/articles/999999/", "/participants/nobody/", "/places/nowhere/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "الصفحة غير موجودة" in response.content.decode()


def test_the_500_page_needs_neither_database_nor_request(django_assert_num_queries):
    with translation.override("ar"), django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert '<html lang="ar" dir="rtl">' in html and "حدث خطأ" in html
    with translation.override("en"):
        html = render_to_string("500.html")
    assert '<html lang="en" dir="ltr">' in html and "Something went wrong" in html and 'href="/en/"' in html
    assert "{% static" not in html and "/static/" not in html  # loads nothing that could itself fail


def test_a_server_error_answers_with_the_500_page(monkeypatch):
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "_reports", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/en/articles/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field_label"),
    [("published_after=yesterday", "Published on or after"), ("published_before=2016-13-45", "Published on or before")],
)
def test_a_bad_filter_value_names_the_field_as_the_form_does(client, query, field_label):
    response = client.get(f"/en/articles/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    notice = html[html.index('role="alert"') :]
    assert field_label in notice and "Enter a valid date." in notice
    assert "published_after" not in notice and "published_before" not in notice
    arabic = client.get(f"/articles/?{query}").content.decode()
    assert "published_" not in arabic[arabic.index('role="alert"') :].split("</div>")[0]


def test_no_results_sit_where_results_go(client):
    make_article(title="تقرير واحد")
    html = client.get("/en/articles/?q=كلمةلاوجودلها").content.decode()
    results = html[html.index('class="results"') :]
    assert "No published report matches" in results.split("</ol>")[0]


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.ico"
    assert finders.find("img/favicon.ico")


def test_the_api_root_lists_every_resource_with_its_link(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    for name in ("articles", "participants", "meetings", "agreements", "quotes", "mentions", "sources", "topics"):
        assert body[name] == f"http://testserver/api/v1/{name}/", name
    assert body["places"] == "http://testserver/api/v1/places/"
    assert body["schema"] == "http://testserver/api/v1/schema/"
    assert body["docs"] == "http://testserver/api/v1/docs/"
    for name, link in body.items():
        # editors' notes are listed, but only editors may read them
        assert client.get(link).status_code == (401 if name == "notes" else 200), link
    assert client.get("/api/v1/nothing-here/").json()["code"] == "not_found"

"""Quotable spans: each quote's permanent address, its citations and Web Annotation, its survival
across edits of the report's text, and 410 Gone for a quote the editors deleted."""

import datetime

import pytest

from articles.anchoring import reanchor
from articles.models import Article, Mention, Quote
from diplomacy.models import Participant
from tests.factories import make_article
from tests.public_helpers import LANGUAGES, html_lang

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote(demo):
    demo.published = datetime.date(2016, 3, 24)
    demo.save()
    return Quote.objects.get(speaker__slug="lavrov", text__startswith="مثلما اتفقنا")


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_quote_page_names_speaker_office_report_and_passage(client, quote, prefix):
    response = client.get(f"{prefix}/quotes/{quote.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html_lang(html) == (("ar", "rtl") if prefix == "" else ("en", "ltr"))
    assert quote.text in html
    assert ("سيرغي لافروف" if prefix == "" else "Sergey Lavrov") in html
    assert ("وزير الخارجية الروسي" if prefix == "" else "Minister of Foreign Affairs of Russia") in html
    assert f'href="{prefix}/articles/{quote.article_id}/#quote-{quote.pk}"' in html
    assert f'<link rel="canonical" href="http://testserver{prefix}/quotes/{quote.pk}/">' in html
    assert '<meta name="citation_author" content="سيرغي لافروف">' in html
    assert f'<meta name="citation_inbook_title" content="{quote.article.title}">' in html
    assert f'href="/api/v1/quotes/{quote.pk}/annotation/"' in html


def test_the_report_marks_the_passage_the_address_points_at(client, quote):
    html = client.get(f"/articles/{quote.article_id}/").content.decode()
    assert f'id="quote-{quote.pk}"' in html


def test_bibtex_and_ris_name_the_speaker_and_the_report(client, quote):
    bib = client.get(f"/quotes/{quote.pk}/cite.bib")
    assert bib.status_code == 200 and bib["Content-Type"].startswith("application/x-bibtex")
    text = bib.content.decode()
    assert text.startswith(f"@misc{{diplomacy-archive-quote-{quote.pk},")
    assert "author = {سيرغي لافروف}" in text
    assert f"booktitle = {{{quote.article.title}}}" in text
    assert f"url = {{http://testserver/quotes/{quote.pk}/}}" in text
    ris = client.get(f"/quotes/{quote.pk}/cite.ris").content.decode()
    assert ris.startswith("TY  - NEWS\r\n")
    assert "AU  - سيرغي لافروف\r\n" in ris
    assert f"T2  - {quote.article.title}\r\n" in ris
    assert ris.endswith("ER  - \r\n")


def test_web_annotation_of_one_quote(client, quote):
    response = client.get(f"/api/v1/quotes/{quote.pk}/annotation/")
    assert response.status_code == 200
    data = response.json()
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "Annotation"
    # its id is the address that serves exactly this annotation (issue 17, item 7)
    assert data["id"] == f"http://testserver/api/v1/articles/{quote.article_id}/annotations/quote-{quote.pk}/"
    assert client.get(data["id"]).json()["id"] == data["id"]
    position, text_quote = data["target"]["selector"]
    assert (position["start"], position["end"]) == (quote.start, quote.end)
    assert text_quote["exact"] == quote.text
    assert any(b.get("source", "").endswith("/participants/lavrov/") for b in data["body"])


def test_address_survives_an_edit_of_the_report(client, quote, reviewer):
    article = quote.article
    old_body = article.body
    article.body = "فقرة أضافها المحرر في التصحيح.\n" + old_body
    article.save()
    reanchor(article, old_body=old_body, user=reviewer)
    moved = Quote.objects.get(pk=quote.pk)
    assert moved.start == quote.start + len("فقرة أضافها المحرر في التصحيح.\n")
    assert article.body[moved.start : moved.end] == quote.text
    response = client.get(f"/quotes/{quote.pk}/")
    assert response.status_code == 200
    assert quote.text in response.content.decode()
    annotation = client.get(f"/api/v1/quotes/{quote.pk}/annotation/").json()
    assert annotation["target"]["selector"][0]["start"] == moved.start
    assert f'id="quote-{quote.pk}"' in client.get(f"/articles/{article.pk}/").content.decode()


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_a_deleted_quote_is_gone_not_missing(client, quote, prefix):
    pk, article_id = quote.pk, quote.article_id
    quote.delete()
    response = client.get(f"{prefix}/quotes/{pk}/")
    assert response.status_code == 410
    html = response.content.decode()
    assert f'href="{prefix}/articles/{article_id}/"' in html
    assert client.get(f"{prefix}/quotes/{pk}/cite.bib").status_code == 410
    never = Quote.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    assert client.get(f"{prefix}/quotes/{never}/").status_code == 404


def test_a_deleted_quote_of_a_draft_stays_unknown(client, demo):
    body = "قال كيري: «كلام في مسودة»"
    article = make_article(title="مسودة", body=body, status=Article.Status.DRAFT)
    start = body.index("كلام")
    draft_quote = Quote.objects.create(article=article, start=start, end=len(body) - 1, text=body[start:-1])
    assert client.get(f"/quotes/{draft_quote.pk}/").status_code == 404
    pk = draft_quote.pk
    draft_quote.delete()
    assert client.get(f"/quotes/{pk}/").status_code == 404
    assert client.get(f"/api/v1/quotes/{pk}/annotation/").status_code == 404


# Mentions have addresses too ---------------------------------------------------------------------


@pytest.fixture
def mention(quote):
    article = quote.article
    start = article.body.index("لافروف")
    return Mention.objects.create(
        article=article, start=start, end=start + 6, text="لافروف", participant=Participant.objects.get(slug="lavrov")
    )


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_mention_page_names_its_target_and_links_the_line(client, mention, prefix):
    response = client.get(f"{prefix}/mentions/{mention.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ("سيرغي لافروف" if prefix == "" else "Sergey Lavrov") in html
    line = mention.article.body.count("\n", 0, mention.start) + 1
    assert f'href="{prefix}/articles/{mention.article_id}/#line-{line}"' in html
    assert f'href="{prefix}/mentions/{mention.pk}/cite.bib"' in html
    assert f'href="/api/v1/mentions/{mention.pk}/annotation/"' in html


def test_mention_citations_and_annotation(client, mention):
    bib = client.get(f"/mentions/{mention.pk}/cite.bib").content.decode()
    assert bib.startswith(f"@misc{{diplomacy-archive-mention-{mention.pk},")
    assert "author" not in bib and f"booktitle = {{{mention.article.title}}}" in bib
    ris = client.get(f"/mentions/{mention.pk}/cite.ris").content.decode()
    assert f"AN  - mention {mention.pk}\r\n" in ris
    data = client.get(f"/api/v1/mentions/{mention.pk}/annotation/").json()
    assert data["motivation"] == "identifying" and data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["target"]["selector"][1]["exact"] == "لافروف"


def test_a_deleted_mention_is_gone(client, mention):
    pk, article_id = mention.pk, mention.article_id
    mention.delete()
    response = client.get(f"/en/mentions/{pk}/")
    assert response.status_code == 410
    assert f'href="/en/articles/{article_id}/"' in response.content.decode()
    assert client.get(f"/mentions/{pk + 1000}/").status_code == 404

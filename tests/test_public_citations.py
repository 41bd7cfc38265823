"""Citing a report: Highwire tags, schema.org JSON-LD, the cite box, BibTeX and RIS, permalinks,
and conditional GET on report pages."""

import datetime
import json
import re
from html import unescape

import pytest

from articles.models import Quote
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def meta_tags(html):
    tags = re.findall(r'<meta name="(citation_[a-z_]+|prism.publicationName)" content="([^"]*)"', html)
    return [(name, unescape(content)) for name, content in tags]


def test_highwire_tags_for_a_dated_report(client, demo):
    article = make_article(
        title="لافروف يستقبل كيري", byline="مراسل موسكو", published=datetime.date(2016, 3, 24), source=demo.source
    )
    tags = dict(meta_tags(client.get(f"/articles/{article.pk}/").content.decode()))
    assert tags["citation_title"] == "لافروف يستقبل كيري"
    assert tags["citation_author"] == "مراسل موسكو"
    assert tags["citation_publication_date"] == "2016/03/24"
    assert tags["prism.publicationName"] == "الوقت"  # not citation_journal_title: Zotero would say journal
    assert tags["citation_language"] == "ar"
    assert tags["citation_public_url"] == f"http://testserver/articles/{article.pk}/"
    english = dict(meta_tags(client.get(f"/en/articles/{article.pk}/").content.decode()))
    assert english["prism.publicationName"] == "Al-Waght"


def test_an_unknown_date_is_never_invented(client, demo):
    html = client.get(f"/articles/{demo.pk}/").content.decode()
    names = [name for name, _ in meta_tags(html)]
    assert "citation_publication_date" not in names and "citation_title" in names
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert "datePublished" not in data
    assert "د.ت." in html  # the Arabic "no date" in the ready reference
    assert "n.d." in client.get(f"/en/articles/{demo.pk}/").content.decode()
    bib = client.get(f"/articles/{demo.pk}/cite.bib").content.decode()
    assert "year" not in bib


def test_json_ld_news_article(client, demo):
    html = client.get(f"/en/articles/{demo.pk}/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == demo.title
    assert data["inLanguage"] == "ar"
    assert data["url"] == f"http://testserver/en/articles/{demo.pk}/"
    assert data["publisher"]["name"] == "Al-Waght"
    assert {m["name"] for m in data["mentions"]} >= {"John Kerry", "Sergey Lavrov", "Vladimir Putin"}
    assert data["articleBody"] == demo.body


def test_json_ld_cannot_close_its_script_element(client, demo):
    article = make_article(title="</script><script>alert(1)</script>", source=demo.source)
    html = client.get(f"/articles/{article.pk}/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(block)["headline"] == article.title
    assert "<script>alert" not in html


def test_cite_box_and_permalink(client, demo):
    html = client.get(f"/en/articles/{demo.pk}/").content.decode()
    box = html[html.index('id="cite"') :]
    assert "Cite this report" in box
    assert f"Diplomacy Archive, report {demo.pk}" in box
    assert "Al-Waght" in box and demo.title in box
    assert f'href="http://testserver/en/articles/{demo.pk}/"' in box
    assert f'<link rel="canonical" href="http://testserver/en/articles/{demo.pk}/">' in html
    ar = client.get(f"/articles/{demo.pk}/").content.decode()
    assert f"أرشيف الدبلوماسية، التقرير {demo.pk}" in ar and "«" in ar


def test_bibtex_download(client, demo):
    article = make_article(
        title="Kerry & Lavrov: 100% {agreed}",
        published=datetime.date(2016, 3, 24),
        source=demo.source,
        url="https://example.org/a",
    )
    response = client.get(f"/en/articles/{article.pk}/cite.bib")
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert f'filename="diplomacy-archive-{article.pk}.bib"' in response["Content-Disposition"]
    bib = response.content.decode()
    assert bib.startswith(f"@article{{diplomacy-archive-{article.pk},")
    assert r"title = {Kerry \& Lavrov: 100\% \{agreed\}}," in bib
    assert "journal = {Al-Waght}," in bib
    assert "year = {2016}," in bib and "month = mar," in bib
    assert f"url = {{http://testserver/en/articles/{article.pk}/}}," in bib
    assert bib.count("{") == bib.count("}")


def test_ris_download(client, demo):
    article = make_article(title="لافروف يستقبل كيري", published=datetime.date(2016, 3, 24), source=demo.source)
    response = client.get(f"/articles/{article.pk}/cite.ris")
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "TY  - NEWS"
    assert "TI  - لافروف يستقبل كيري" in lines
    assert "T2  - الوقت" in lines
    assert "DA  - 2016/03/24" in lines and "PY  - 2016" in lines
    assert f"UR  - http://testserver/articles/{article.pk}/" in lines
    assert lines[-2] == "ER  - " and lines[-1] == ""


def test_report_pages_answer_conditional_gets(client, demo):
    first = client.get(f"/articles/{demo.pk}/")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get(f"/articles/{demo.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get(f"/articles/{demo.pk}/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # the English page is another representation
    english = client.get(f"/en/articles/{demo.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert english.status_code == 200 and english["ETag"] != first["ETag"]
    # an annotation changed: the page is sent again
    quote = Quote.objects.filter(article=demo).first()
    quote.delete()
    changed = client.get(f"/articles/{demo.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]

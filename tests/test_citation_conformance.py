"""Citations as the tools researchers use read them: Zotero's Embedded Metadata rules, bibtexparser
and rispy. The Zotero rules are those of its translator (zotero/translators, `Embedded
Metadata.js` and `RDF.js`), restated here for the tags this archive writes."""

import datetime
import json
import re
from html import unescape
from unittest import mock

import bibtexparser
import pytest
import rispy
from django.utils import timezone

from tests.factories import make_article

pytestmark = pytest.mark.django_db

TWO_AUTHORS = "هدى الحسيني، ومحمد علي"


def meta(html):
    return [(n, unescape(c)) for n, c in re.findall(r'<meta name="([^"]+)" content="([^"]*)"', html)]


def zotero_item(html):
    """What Zotero's Embedded Metadata translator makes of a page's meta tags."""
    tags = meta(html)
    names = [n for n, _ in tags]
    shorts = [n[n.rfind("citation_") :] for n in names if "citation_" in n]
    if "citation_journal_title" in shorts:
        item_type = "journalArticle"  # hwType: wins over everything else
    elif any(n.lower() == "dc.type" and c.lower().replace(" ", "") == "newsitem" for n, c in tags):
        item_type = "newspaperArticle"  # RDF.js: dc:type NewsItem
    elif "citation_title" in shorts:
        item_type = "journalArticle"  # hwTypeGuess
    else:
        item_type = "webpage"
    creators = []
    for name, content in tags:
        if name == "citation_author":
            parts = re.split(r"\s*;\s*", content)
            if len(parts) == 1:
                by_comma = re.split(r"\s*,\s*", parts[0])
                if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                    parts = by_comma
            creators += [p.strip() for p in parts if p.strip()]
    values = dict(tags)
    return {
        "itemType": item_type,
        "creators": creators,
        "publicationTitle": values.get("prism.publicationName") or values.get("citation_journal_title"),
        "pdf": values.get("citation_pdf_url"),
    }


@pytest.fixture
def report(demo):
    return make_article(
        title="لافروف يستقبل كيري", byline=TWO_AUTHORS, published=datetime.date(2016, 3, 24), source=demo.source
    )


def test_zotero_saves_a_newspaper_article_with_each_author_and_the_pdf(client, report):
    item = zotero_item(client.get(f"/articles/{report.pk}/").content.decode())
    assert item["itemType"] == "newspaperArticle"
    assert item["creators"] == ["هدى الحسيني", "محمد علي"]
    assert item["publicationTitle"] == "الوقت"
    assert item["pdf"] == f"http://testserver/articles/{report.pk}/pdf/"
    assert client.get(f"/articles/{report.pk}/pdf/")["Content-Type"] == "application/pdf"


def test_a_name_that_begins_with_waw_keeps_its_letter(client, demo):
    article = make_article(title="تقرير", byline="هدى الحسيني، وليد جنبلاط و محمد علي", source=demo.source)
    item = zotero_item(client.get(f"/articles/{article.pk}/").content.decode())
    assert item["creators"] == ["هدى الحسيني", "وليد جنبلاط", "محمد علي"]


def test_bibtexparser_reads_each_author_the_newspaper_and_the_access_date(client, report):
    library = bibtexparser.parse_string(client.get(f"/articles/{report.pk}/cite.bib").content.decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    fields = {f.key: f.value for f in entry.fields}
    authors = [a.strip().strip("{}") for a in fields["author"].split(" and ")]
    assert authors == ["هدى الحسيني", "محمد علي"]
    assert fields["journal"] == "الوقت" and fields["entrysubtype"] == "newspaper"
    assert fields["urldate"] == timezone.localdate().isoformat()


def test_rispy_reads_each_author_and_the_access_date(client, report):
    (entry,) = rispy.loads(client.get(f"/articles/{report.pk}/cite.ris").content.decode())
    assert entry["type_of_reference"] == "NEWS"
    assert entry["authors"] == ["هدى الحسيني", "محمد علي"]
    assert entry["access_date"] == timezone.localdate().strftime("%Y/%m/%d")
    assert entry["secondary_title"] == "الوقت"


def test_json_ld_names_each_author(client, report):
    html = client.get(f"/articles/{report.pk}/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert [a["name"] for a in data["author"]] == ["هدى الحسيني", "محمد علي"]


def test_the_report_page_is_sent_again_the_next_day_for_its_accessed_date(client, report):
    first = client.get(f"/articles/{report.pk}/")
    assert client.get(f"/articles/{report.pk}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with mock.patch("articles.citations.timezone.localdate", return_value=tomorrow):
        again = client.get(f"/articles/{report.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert f"urldate = {{{tomorrow.isoformat()}}}" in again.content.decode()

"""Issue 18, items 3, 10 and 11: hostile values through every way in, checked on every way out.

The payload set (markup, `javascript:` and other non-web addresses, bidi
controls, spreadsheet formulas, citation break-outs) goes in through the
importer, the admin and the API; every public surface, the feed, the API and
the downloads (CSV, BibTeX, RIS) are then read back and checked.
"""

import json
import re
from io import StringIO
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from articles import display
from articles.models import Article, Quote, Source
from articles.spreadsheets import cell, csv_document
from tests.api_support import *  # noqa: F403  (the API fixtures: api, editor_api, throttle reset)
from tests.api_support import API
from tests.factories import make_article, make_participant, make_public, make_source

pytestmark = pytest.mark.django_db

MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(2)</script>",
    "' onmouseover='alert(3)",
]
NOT_WEB_ADDRESSES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://example.org/file",
    "//evil.example/x",
    "https://",
]
BIDI = ["\u202egnp.exe", "abc\u202edef", "\u2066open isolate", "\u2069close", "\u202bembedding"]
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1", "＝1"]


def inert(html):
    """No payload became markup: no script that runs, no handler attribute, no javascript: link."""
    # Data blocks (JSON-LD, json_script) never run: they must parse as JSON, and are then set aside.
    data_block = r'<script\b[^>]*type="application/(?:ld\+)?json"[^>]*>(.*?)</script>'
    for block in re.findall(data_block, html, re.S):
        json.loads(block)
    html = re.sub(data_block, "", html, flags=re.S)
    lowered = html.lower()
    assert "<script>alert" not in lowered
    assert "<img src=x" not in lowered
    assert not re.search(r"""\son(error|mouseover|load)\s*=\s*['"]alert""", lowered)
    assert 'href="javascript:' not in lowered and "href='javascript:" not in lowered
    assert 'href="data:' not in lowered and 'href="vbscript:' not in lowered
    for tag in re.findall(r"<script\b[^>]*>", lowered):
        assert "src=" in tag or "application/ld+json" in tag or "application/json" in tag, tag


# --- item 3: only http(s) addresses, checked on the way in ------------------------------------------


@pytest.mark.parametrize("address", NOT_WEB_ADDRESSES)
def test_models_refuse_anything_but_http_addresses(address):
    source = Source(name_ar="مصدر", slug="masdar", url=address)
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "url" in error.value.message_dict
    article = Article(title="ع", body="ن", url=address)
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["content_hash"])
    assert "url" in error.value.message_dict


def test_models_accept_http_and_https():
    for address in ("http://example.org/a", "https://example.org/a?b=c#d"):
        Source(name_ar="مصدر", slug="masdar", url=address).full_clean()


@pytest.mark.parametrize("address", NOT_WEB_ADDRESSES[:6])
def test_api_refuses_a_non_web_original_url(editor_api, address):
    response = editor_api.post(f"{API}/articles/", {"title": "عنوان", "body": "نص", "original_url": address})
    assert response.status_code == 400
    assert "original_url" in response.json()["fields"]
    assert not Article.objects.exists()


def test_importer_refuses_a_javascript_url(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"title": "ع", "body": "ن", "url": "javascript:alert(1)"}) + "\n", encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), "--json", stdout=out, stderr=StringIO())
    [result] = [json.loads(line) for line in out.getvalue().splitlines()]
    assert result["status"] == "error" and "url" in result["error"] and "http" in result["error"]
    assert not Article.objects.exists()


def test_records_import_refuses_a_javascript_url(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(
        json.dumps({"article": {"title": "ع", "body": "نص", "url": "javascript:alert(1)"}}), encoding="utf-8"
    )
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_records", str(path), stdout=StringIO(), stderr=err)
    assert "'url'" in str(error.value) + err.getvalue()
    assert not Article.objects.exists()


def test_admin_refuses_a_javascript_site_address(admin_client):
    response = admin_client.post(
        "/admin/articles/source/add/",
        {"name_ar": "مصدر", "name_en": "Source", "slug": "source-x", "url": "javascript:alert(1)", "country": ""},
    )
    assert response.status_code == 200  # the form again, with its error
    assert "http://" in response.content.decode()
    assert not Source.objects.filter(slug="source-x").exists()


# --- item 3: … and again on the way out ---------------------------------------------------------------


@pytest.fixture
def smuggled(demo):
    """A report and a source whose addresses reached the database past every check (raw update)."""
    Article.objects.filter(pk=demo.pk).update(url="javascript:alert(1)")
    Source.objects.filter(pk=demo.source_id).update(url="javascript:alert(2)")
    demo.refresh_from_db()
    return demo


def test_a_stored_javascript_address_is_never_a_link(client, smuggled):
    for url in (
        f"/articles/{smuggled.pk}/",
        f"/en/articles/{smuggled.pk}/",
        "/sources/",
        f"/sources/{smuggled.source.slug}/",
    ):
        html = client.get(url).content.decode()
        assert "javascript:" not in html, url
    bib = client.get(f"/articles/{smuggled.pk}/cite.bib").content.decode()
    ris = client.get(f"/articles/{smuggled.pk}/cite.ris").content.decode()
    assert "javascript" not in bib and "javascript" not in ris


def test_a_web_address_is_still_a_link(client, demo):
    Article.objects.filter(pk=demo.pk).update(url="https://example.org/original")
    html = client.get(f"/articles/{demo.pk}/").content.decode()
    assert 'href="https://example.org/original"' in html


# --- items 3 and 11: markup and bidi controls everywhere they can be typed ---------------------------


@pytest.fixture
def hostile(demo):
    """The demo report with markup in its title, byline and source, and a participant named with it."""
    payload = " | ".join(MARKUP)
    Article.objects.filter(pk=demo.pk).update(title=f"كيري {payload} \u202eتقرير", byline=payload)
    Source.objects.filter(pk=demo.source_id).update(name_ar=f"مصدر {payload}", name_en=f"Source {payload}")
    speaker = Quote.objects.filter(article=demo, speaker__isnull=False).first().speaker
    speaker.name_ar = speaker.name_en = f"{payload} \u202eاسم"
    speaker.save()
    demo.refresh_from_db()
    return demo, speaker


PUBLIC_PAGES = [
    "/",
    "/articles/",
    "/search/?q=كيري",
    "/timeline/",
    "/sources/",
    "/charts/",
    "/feed/",
    "/sitemap.xml",
]


def test_markup_is_text_on_every_public_surface(client, hostile):
    article, speaker = hostile
    pages = PUBLIC_PAGES + [
        f"/articles/{article.pk}/",
        f"/participants/{speaker.slug}/",
        f"/sources/{article.source.slug}/",
    ]
    for prefix in ("", "/en"):
        for url in pages:
            response = client.get(prefix + url)
            assert response.status_code == 200, (prefix + url, response.status_code)
            if "xml" in response["Content-Type"]:
                # The feed and the sitemap: well-formed, with the payload only as text and attribute values.
                tree = ElementTree.fromstring(response.content)
                assert not [e for e in tree.iter() if e.tag.split("}")[-1] in ("script", "img")]
            else:
                inert(response.content.decode())
    detail = client.get(f"/articles/{article.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail  # kept, as text


def test_payloads_entered_through_import_and_api_are_inert_everywhere(
    client, admin_client, editor_api, reviewer_api, tmp_path
):
    """The payload set as an editor would enter it: a JSON Lines import and API writes, then read back
    on the public pages, the feed, the admin, the API's downloads, the charts, the PDF and citations."""
    payload = " ".join(MARKUP + BIDI[:2] + FORMULAS[:1])
    path = tmp_path / "hostile.jsonl"
    row = {"title": f"تقرير {payload}", "body": f"فقرة أولى {payload}\nفقرة ثانية.", "byline": payload}
    path.write_text(json.dumps({**row, "source": f"مصدر {payload}"}, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("import_articles", str(path), "--status", "published", stdout=StringIO())
    article = Article.objects.get()
    created = editor_api.post(
        f"{API}/participants/",
        {"slug": "hostile", "kind": "person", "name_ar": f"اسم {payload}", "name_en": payload},
        format="json",
    )
    assert created.status_code == 201, created.content
    quote = reviewer_api.post(  # the report is published: its annotations are a reviewer's to change
        f"{API}/quotes/",
        {"article": article.pk, "start": 0, "end": 4, "text": article.body[:4], "speaker": "hostile"},
        format="json",
    )
    assert quote.status_code == 201, quote.content
    pages = [*PUBLIC_PAGES, f"/articles/{article.pk}/", "/participants/hostile/", f"/sources/{article.source.slug}/"]
    for prefix in ("", "/en"):
        for url in pages:
            response = client.get(prefix + url)
            assert response.status_code == 200, prefix + url
            if "html" in response["Content-Type"]:
                inert(response.content.decode())
    for url in (
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/diplomacy/participant/",
        "/admin/articles/source/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        inert(response.content.decode())
    for url in (
        f"/articles/{article.pk}/pdf/",
        "/charts/speakers.png",
        "/participants/hostile/timeline.png",
        f"/articles/{article.pk}/cite.bib",
        f"/articles/{article.pk}/cite.ris",
    ):
        assert client.get(url).status_code == 200, url
    csv_rows = b"".join(editor_api.get(f"{API}/participants/?format=csv").streaming_content).decode("utf-8-sig")
    assert "<script>" in csv_rows  # CSV carries text as it is; spreadsheets do not run markup


def test_markup_in_the_api_and_downloads_stays_data(api, hostile):
    article, speaker = hostile
    detail = api.get(f"{API}/articles/{article.pk}/")
    assert detail["Content-Type"].startswith("application/json")
    assert "<script>alert(1)</script>" in detail.json()["title"]  # JSON carries the text as it is
    for url in (f"{API}/articles/?format=csv", f"{API}/participants/?format=csv", f"{API}/articles/?format=jsonl"):
        assert api.get(url).status_code == 200


def test_bidi_controls_are_kept_but_isolated_on_pages_and_in_the_feed(client, hostile):
    article, speaker = hostile
    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert (
        "\u2068"
        + article.title.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#x27;")
        + "\u2069"
        in html
    )
    assert article.title == Article.objects.get(pk=article.pk).title  # stored as typed
    participant = client.get(f"/participants/{speaker.slug}/").content.decode()
    assert participant.count("\u202e") == participant.count("\u2068\u2069") + participant.count("\u202e")
    feed = client.get("/feed/").content.decode()
    assert "\u2068" in feed and "\u2069" in feed


@pytest.mark.parametrize("text", BIDI)
def test_isolate_closes_every_control_it_opens(text):
    isolated = display.isolate(text)
    assert isolated.startswith("\u2068") and isolated.endswith("\u2069")
    inner = isolated[1:-1]
    depth = 0
    for char in inner:
        if char in "\u2066\u2067\u2068":
            depth += 1
        elif char == "\u2069":
            depth -= 1
        assert depth >= 0, "a closer inside the text would end the page's own isolate"
    assert inner.replace("\u2069", "") == text.replace("\u2069", "")  # nothing else changes


def test_isolate_leaves_plain_text_alone():
    assert display.isolate("سيرغي لافروف") == "سيرغي لافروف"
    assert display.isolate("") == ""


# --- item 10: one CSV writer, formula-safe, for the API and the charts --------------------------------


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_cells_are_quoted(formula):
    assert cell(formula).startswith("'")
    assert cell("-2") == "-2" and cell(-3) == "-3" and cell(4) == "4"


def test_charts_csv_quotes_a_formula_in_a_speakers_name(client, demo):
    speaker = Quote.objects.filter(article=demo, speaker__isnull=False).first().speaker
    speaker.name_ar = speaker.name_en = '=HYPERLINK("http://evil.example","x")'
    speaker.save()
    for url in ("/charts/speakers.csv", "/en/charts/speakers.csv"):
        text = client.get(url).content.decode("utf-8-sig")
        assert "'=HYPERLINK" in text, url
        assert not re.search(r'(^|,|")=HYPERLINK', text.replace("'=HYPERLINK", "")), url


def test_one_csv_writer_serves_both(api, demo):
    document = csv_document(["a", "b"], [["=1", 2]]).decode("utf-8")
    assert document == "\ufeffa,b\r\n'=1,2\r\n"
    make_public(make_participant(name_ar="+cmd|' /C calc'!A0", slug="calc"))  # public: a report names them
    response = api.get(f"{API}/participants/?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'+cmd" in text


# --- item 11: citations that cannot be broken out of -----------------------------------------------------


def _bibtex_entries(bib):
    """Entry starts and the brace depth at every character: a field closed early would reach 0."""
    depth, closed_at = 0, []
    for index, char in enumerate(bib):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                closed_at.append(index)
    return re.findall(r"(?m)^\s*@", bib), closed_at, depth


def test_bibtex_and_ris_hold_a_hostile_byline_and_address(client):
    article = make_article(
        title="عنوان {غير متوازن",
        byline="Kerry},\n@misc{evil, title={pwned}\nTY  - JOUR",
        url="https://example.org/a}b{c\\d",
        source=make_source(name_ar="مصدر}\r\nER  - ", name_en="Src"),
    )
    bib = client.get(f"/en/articles/{article.pk}/cite.bib").content.decode()
    starts, closed_at, depth = _bibtex_entries(bib)
    assert len(starts) == 1, bib
    assert depth == 0 and closed_at == [len(bib.rstrip("\n")) - 1], bib
    assert "\\url{https://example.org/a%7Db%7Bc%5Cd}" in bib
    ris = client.get(f"/en/articles/{article.pk}/cite.ris").content.decode()
    lines = ris.split("\r\n")
    assert lines[-1] == ""
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1]), lines
    assert [line[:2] for line in lines].count("TY") == 1 and [line[:2] for line in lines].count("ER") == 1


# --- item 11: unknown fields in API writes --------------------------------------------------------------


def test_api_write_with_an_unknown_field_is_refused_naming_it(editor_api):
    response = editor_api.post(f"{API}/articles/", {"title": "عنوان", "body": "نص", "publised": "2016-03-24"})
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert list(fields) == ["publised"] and "published" in fields["publised"][0]
    assert not Article.objects.exists()


def test_api_patch_with_unknown_nested_field_is_refused(editor_api):
    make_participant(slug="kerry-x")
    response = editor_api.patch(
        f"{API}/participants/kerry-x/", {"aliases": [{"name": "كيري", "colour": "red"}]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert any("colour" in name for name in response.json()["fields"])


# --- item 3: the headers --------------------------------------------------------------------------------


def test_every_surface_sends_csp_and_permissions_policy(client, admin_client, demo):
    for c, url in (
        (client, "/"),
        (client, f"/articles/{demo.pk}/"),
        (client, f"{API}/articles/"),
        (client, "/feed/"),
        (admin_client, "/admin/"),
        (admin_client, f"/admin/articles/article/{demo.pk}/change/"),
    ):
        response = c.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, url
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_script_or_style_that_csp_would_block(client, admin_client, demo):
    pages = [(client, u) for u in ("/", f"/articles/{demo.pk}/", "/articles/", "/charts/", "/api/v1/docs/")]
    pages += [(admin_client, f"/admin/articles/article/{demo.pk}/change/"), (admin_client, "/admin/")]
    for c, url in pages:
        html = c.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/' in tag, (url, tag)
        assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html), url


def test_admin_client_fixture_is_signed_in(admin_client):
    # admin_client signs in with force_login; the brute-force guard is not in its way.
    assert admin_client.get("/admin/").status_code == 200
    assert Client().get("/admin/").status_code == 302

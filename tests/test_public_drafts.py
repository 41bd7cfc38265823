"""Drafts never leak: draft, in-review and withdrawn reports, their quotes and mentions, the records
known only from them, and every editor's note stay off every public surface (pages, charts, PDF,
timelines, API), and their addresses answer 404 as unknown ones do; an editor signed in previews a
draft on every surface alike, marked and never cached for anyone else (docs/public.md)."""

import datetime

import pytest

from articles import workflow
from articles.duplicates import index_text, near_duplicates
from articles.models import Article, Mention, Note, Quote
from diplomacy.models import Agreement, AgreementParty, Meeting, Participant, Participation, Place
from tests.factories import make_article, make_source, make_topic
from tests.public_helpers import LANGUAGES

pytestmark = pytest.mark.django_db

HIDDEN = [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.WITHDRAWN]
SECRET_QUOTE = "سرّ لا ينبغي أن يظهر على الصفحات العامة"
NOTE_TEXT = "ملاحظة المحرر الداخلية لا تُنشر"


@pytest.fixture
def hidden_reports(demo):
    """One report in each unpublished state, covering the seed's people, meeting and agreement,
    from a source and on a topic that no published report has."""
    kerry = Participant.objects.get(slug="kerry")
    lavrov = Participant.objects.get(slug="lavrov")
    meeting = Meeting.objects.get(slug="kerry-lavrov-talks-2016-03-24")
    agreement = Agreement.objects.get(slug="geneva-direct-talks-2016-03-24")
    source = make_source(name_ar="نشرة سرية", name_en="Secret Bulletin", slug="secret-bulletin")
    topic = make_topic(name_ar="موضوع المسودة", name_en="Draft-only topic", slug="draft-only-topic")
    reports = []
    for status in HIDDEN:
        body = f"قال كيري للافروف: «{SECRET_QUOTE} {status}»\nفقرة ثانية فيها كلمةمسودة."
        article = make_article(
            title=f"تقرير غير منشور {status}",
            body=body,
            status=status,
            source=source,
            published=datetime.date(2015, 7, 14),
        )
        article.meetings.add(meeting)
        article.agreements.add(agreement)
        article.topics.add(topic)
        start = body.index(SECRET_QUOTE)
        end = body.index("»")
        Quote.objects.create(
            article=article,
            start=start,
            end=end,
            text=body[start:end],
            speaker=kerry,
            addressee=lavrov,
            meeting=meeting,
        )
        Mention.objects.create(article=article, start=4, end=8, text=body[4:8], participant=kerry)
        reports.append(article)
    Note.objects.create(article=demo, start=0, end=4, text=demo.body[:4], note=NOTE_TEXT)
    return reports


def secrets(reports):
    words = [SECRET_QUOTE, "كلمةمسودة", NOTE_TEXT, "Secret Bulletin", "نشرة سرية", "Draft-only topic", "موضوع المسودة"]
    return words + [r.title for r in reports]


def public_urls(demo):
    return [
        "/",
        "/articles/",
        "/articles/?participant=kerry",
        "/articles/?topic=syria-war&page_size=100",
        f"/articles/{demo.pk}/",
        "/search/?q=كيري",
        "/search/?q=كلمةمسودة",
        "/search/?q=سر",
        "/participants/kerry/",
        "/participants/lavrov/",
        "/meetings/kerry-lavrov-talks-2016-03-24/",
        "/meetings/kerry-moscow-visit-2016/",
        "/agreements/geneva-direct-talks-2016-03-24/",
        "/timeline/",
        "/timeline/?year=2016",
        "/sources/",
        f"/sources/{demo.source.slug}/",
        "/feed/",
        "/quotes/",
        "/quotes/?speaker=kerry&page_size=100",
        "/quotes/?q=سر",
        "/quotes/?meeting=kerry-lavrov-talks-2016-03-24",
        f"/quotes/{demo.quotes.order_by('pk').first().pk}/",
        "/changes/feed/",
        "/sitemap.xml",
        "/robots.txt",
    ]


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_no_public_surface_shows_an_unpublished_report_or_a_note(client, demo, hidden_reports, prefix):
    words = secrets(hidden_reports)
    for url in public_urls(demo):
        response = client.get(prefix + url)
        assert response.status_code == 200, url
        content = response.content.decode()
        if "?q=" in url:  # the search page repeats what was asked; that is not a leak
            content = content.replace(url.split("?q=")[1], "")
        for word in words:
            assert word not in content, (url, word)
        for report in hidden_reports:
            assert f"/articles/{report.pk}/" not in content, url


@pytest.fixture
def hidden_copies(demo):
    """The seed report's text, carried by another outlet in each unpublished state (wire copies that are
    not public): none may be counted or named beside the published seed, nor group it with anything."""
    source = make_source(name_ar="وكالة المسودات", name_en="Drafts Agency", slug="drafts-agency")
    copies = []
    for status in HIDDEN:
        article = make_article(
            title=f"نسخة غير منشورة {status}", body=f"موسكو ({status}) - {demo.body}", status=status, source=source
        )
        index_text(article, new=True)
        copies.append(article)
    return copies


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_a_copy_of_a_published_text_that_is_not_published_is_never_counted_or_named(
    client, demo, hidden_copies, reviewer, prefix
):
    assert all(near_duplicates(copy.body, threshold=0.7) for copy in hidden_copies)  # copies indeed
    assert Article.objects.exclude(copy_group=None).count() == 0  # and never grouped
    words = ["Drafts Agency", "وكالة المسودات"] + [copy.title for copy in hidden_copies]
    urls = [*public_urls(demo), "/articles/?copies=all", f"/sources/{demo.source.slug}/?copies=all"]
    for url in urls:
        content = client.get(prefix + url).content.decode()
        for word in words:
            assert word not in content, (url, word)
        for copy in hidden_copies:
            assert f"/articles/{copy.pk}/" not in content, url
        assert "carried this text" not in content and "هذا النص" not in content, url
    html = client.get("/en/articles/").content.decode()
    assert "1 report" in html and "texts in" not in html
    rows = client.get("/api/v1/articles/?collapse=copies").json()["results"]
    assert [(row["id"], row["copies"]) for row in rows] == [(demo.pk, [])]
    # published, a copy joins the seed's group, and the lists name it
    workflow.publish(hidden_copies[0], user=reviewer)
    assert Article.objects.get(pk=demo.pk).copy_group == demo.pk
    assert "1 other outlet carried this text" in client.get("/en/articles/").content.decode()


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_unpublished_reports_and_their_downloads_answer_404(client, hidden_reports, prefix):
    for report in hidden_reports:
        for suffix in ("", "cite.bib", "cite.ris"):
            assert client.get(f"{prefix}/articles/{report.pk}/{suffix}").status_code == 404
    # a source known only from unpublished reports is not public either
    assert client.get(f"{prefix}/sources/secret-bulletin/").status_code == 404


def test_facet_counts_and_filters_count_published_reports_only(client, demo, hidden_reports):
    html = client.get("/en/articles/").content.decode()
    assert "1 report" in html
    # Kerry is in all four reports; the public count is one
    kerry = html[html.index("participant=kerry") :]
    assert kerry.index('<span class="count">1</span>') < kerry.index("</a>")
    # asking for the hidden topic by name is refused as an unknown topic is (below, on every list)
    assert client.get("/en/articles/?topic=draft-only-topic").status_code == 400
    response = client.get("/en/articles/?published_before=2015-12-31")
    assert "0 reports" in response.content.decode()


def test_participant_page_quotes_come_from_published_reports_only(client, demo, hidden_reports):
    html = client.get("/en/participants/kerry/").content.decode()
    kerry = Participant.objects.get(slug="kerry")
    assert html.count('class="quote-card"') == Quote.objects.filter(article=demo, speaker=kerry).count()
    assert Quote.objects.filter(speaker=kerry).count() > Quote.objects.filter(article=demo, speaker=kerry).count()


def test_an_editor_sees_drafts_on_the_public_pages_marked_as_such(client, editor, hidden_reports):
    client.force_login(editor)
    if not editor.has_perm("articles.view_draft"):
        pytest.skip("the editors group does not carry view_draft on this branch")
    draft = hidden_reports[0]
    response = client.get(f"/en/articles/{draft.pk}/")
    assert response.status_code == 200
    assert 'class="badge badge-warn"' in response.content.decode()


# --- one rule on every surface (issue 12) and what of the record is public (issue 18, item 5) ----------

SECRET_PERSON = ("مبعوث المسودة", "Draft-only envoy")
SECRET_MEETING = ("لقاء المسودة السري", "Draft-only meeting")
SECRET_AGREEMENT = ("اتفاق المسودة", "Draft-only agreement")
SECRET_PLACE = ("مدينة المسودة", "Draft-only town")
HIDDEN_SLUGS = {
    "participant": "draft-envoy",
    "meeting": "draft-meeting",
    "agreement": "draft-agreement",
    "place": "draft-town",
    "topic": "draft-only-topic",
    "source": "secret-bulletin",
}


@pytest.fixture
def hidden_records(hidden_reports):
    """Records known only from the unpublished reports: an envoy quoted in them, a meeting in a town,
    an agreement (each covered by them alone), beside their topic and source."""
    envoy = Participant.objects.create(
        kind=Participant.Kind.PERSON, name_ar=SECRET_PERSON[0], name_en=SECRET_PERSON[1], slug="draft-envoy"
    )
    town = Place.objects.create(name_ar=SECRET_PLACE[0], name_en=SECRET_PLACE[1], slug="draft-town", country="SY")
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.MEETING,
        title_ar=SECRET_MEETING[0],
        title_en=SECRET_MEETING[1],
        slug="draft-meeting",
        start=datetime.date(2015, 7, 14),
        place=town,
    )
    Participation.objects.create(meeting=meeting, participant=envoy)
    agreement = Agreement.objects.create(
        kind="truce",
        status="proposed",
        title_ar=SECRET_AGREEMENT[0],
        title_en=SECRET_AGREEMENT[1],
        slug="draft-agreement",
        announced=datetime.date(2015, 7, 14),
    )
    AgreementParty.objects.create(agreement=agreement, participant=envoy)
    agreement.negotiated_at.add(meeting)
    for report in hidden_reports:
        report.meetings.add(meeting)
        report.agreements.add(agreement)
        Mention.objects.create(article=report, start=4, end=8, text=report.body[4:8], place=town)
    return hidden_reports


def record_secrets(reports):
    names = [*SECRET_PERSON, *SECRET_MEETING, *SECRET_AGREEMENT, *SECRET_PLACE]
    return secrets(reports) + names + [f"/{slug}/" for slug in HIDDEN_SLUGS.values()]


API_SURFACES = [
    "articles/",
    "articles/?format=csv",
    "articles/?format=jsonl",
    "quotes/",
    "quotes/?format=csv",
    "quotes/?format=jsonl",
    "mentions/",
    "mentions/?format=jsonl",
    "participants/?page_size=100",
    "participants/?format=csv",
    "meetings/?page_size=100",
    "meetings/?format=jsonl",
    "agreements/?page_size=100",
    "agreements/?format=csv",
    "sources/",
    "topics/?page_size=100",
    "places/",
]


def every_anonymous_surface(demo):
    """Every address the public reads, beside those of `public_urls`: the record pages, filters naming
    hidden records, charts with their images and tables, the PDF, the timelines and the API."""
    return [
        *public_urls(demo),
        "/participants/russia/",
        "/participants/putin/",
        "/meetings/kerry-putin-2016-03-24/",
        "/agreements/syria-cessation-of-hostilities-2016/",
        *HIDDEN_FILTERS,
        "/timeline/?year=2016",
        "/charts/",
        *(f"/charts/{name}.csv" for name in ("activity", "speakers", "network", "agreements")),
        f"/articles/{demo.pk}/pdf/",
        f"/articles/{demo.pk}/cite.bib",
        f"/articles/{demo.pk}/cite.ris",
        "/participants/kerry/timeline.png",
        "/agreements/syria-cessation-of-hostilities-2016/timeline.png",
        *(f"/api/v1/{path}" for path in API_SURFACES),
        f"/api/v1/articles/{demo.pk}/",
        f"/api/v1/articles/{demo.pk}/annotations/",
        "/api/v1/meetings/kerry-moscow-visit-2016/",
        "/api/v1/agreements/geneva-direct-talks-2016-03-24/",
    ]


# Lists filtered by a record known only from unpublished reports: refused as an unknown record is.
HIDDEN_FILTERS = [
    "/articles/?topic=draft-only-topic",
    "/articles/?source=secret-bulletin&participant=draft-envoy",
    "/search/?q=كيري&meeting=draft-meeting&agreement=draft-agreement",
    "/quotes/?speaker=draft-envoy",
    "/api/v1/articles/?topic=draft-only-topic",
    "/api/v1/articles/?participant=draft-envoy",
    "/api/v1/quotes/?speaker=draft-envoy",
]


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_no_surface_names_a_record_known_only_from_unpublished_reports(client, demo, hidden_records, prefix):
    words = record_secrets(hidden_records)
    for url in every_anonymous_surface(demo):
        address = url if url.startswith("/api/") else prefix + url
        response = client.get(address)
        assert response.status_code == (400 if url in HIDDEN_FILTERS else 200), address
        if address.endswith((".png", "/pdf/")):
            continue  # drawn, not text: their records are checked by the 404s below
        content = body_of(response)
        if "?q=" in url:
            content = content.replace(url.split("?q=")[1].split("&")[0], "")
        for word in words:
            assert word not in content, (address, word)
        for report in hidden_records:
            assert f"/articles/{report.pk}/" not in content, address


def hidden_record_addresses():
    slugs = HIDDEN_SLUGS
    return [
        f"/participants/{slugs['participant']}/",
        f"/participants/{slugs['participant']}/timeline.png",
        f"/meetings/{slugs['meeting']}/",
        f"/agreements/{slugs['agreement']}/",
        f"/agreements/{slugs['agreement']}/timeline.png",
        f"/sources/{slugs['source']}/",
        f"/api/v1/participants/{slugs['participant']}/",
        f"/api/v1/meetings/{slugs['meeting']}/",
        f"/api/v1/agreements/{slugs['agreement']}/",
        f"/api/v1/places/{slugs['place']}/",
        f"/api/v1/topics/{slugs['topic']}/",
        f"/api/v1/sources/{slugs['source']}/",
    ]


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_a_record_known_only_from_unpublished_reports_answers_as_an_unknown_one(client, hidden_records, prefix):
    for address in hidden_record_addresses():
        slug = next(s for s in HIDDEN_SLUGS.values() if f"/{s}/" in address)
        unknown = address.replace(f"/{slug}/", "/no-such-record/")
        if not address.startswith("/api/"):
            address, unknown = prefix + address, prefix + unknown
        hidden, missing = client.get(address), client.get(unknown)
        assert hidden.status_code == missing.status_code == 404, address
        assert body_of(hidden) == body_of(missing), address


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_a_filter_on_a_record_known_only_from_unpublished_reports_answers_as_an_unknown_one(
    client, hidden_records, prefix
):
    for url in HIDDEN_FILTERS:
        hidden = [slug for slug in HIDDEN_SLUGS.values() if f"={slug}" in url]
        unknown = url
        for number, slug in enumerate(hidden):
            unknown = unknown.replace(f"={slug}", f"=no-such-record-{number}")
        address, missing = (url, unknown) if url.startswith("/api/") else (prefix + url, prefix + unknown)
        hidden_response, missing_response = client.get(address), client.get(missing)
        assert hidden_response.status_code == missing_response.status_code == 400, address
        answer = body_of(hidden_response)
        for number, slug in enumerate(hidden):
            answer = answer.replace(slug, f"no-such-record-{number}")
        assert answer == body_of(missing_response), address


def test_the_charts_offer_and_accept_only_public_topics(client, demo, hidden_records):
    form = client.get("/en/charts/").content.decode()
    assert 'value="syria-war"' in form and "draft-only-topic" not in form
    for topic in ("draft-only-topic", "no-such-topic"):  # a hidden topic is refused like an unknown one
        assert client.get("/en/charts/speakers.csv", {"topic": topic}).status_code == 400


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_an_unpublished_report_answers_404_on_every_surface(client, hidden_records, prefix):
    for report in hidden_records:
        for suffix in ("", "cite.bib", "cite.ris", "pdf/"):
            assert client.get(f"{prefix}/articles/{report.pk}/{suffix}").status_code == 404, suffix
        for suffix in ("", "annotations/"):
            assert client.get(f"/api/v1/articles/{report.pk}/{suffix}").status_code == 404, suffix


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_no_pdf_kept_in_the_shared_cache_reaches_the_public_for_an_unpublished_report(
    client, editor, hidden_records, prefix
):
    # PDFs are kept in the shared cache by what they show (articles/charts/pdf.py): an editor's
    # preview is never kept, and the copy kept while a report was published is not served once it is not.
    withdrawn = next(r for r in hidden_records if r.status == Article.Status.WITHDRAWN)
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.PUBLISHED)
    assert client.get(f"{prefix}/articles/{withdrawn.pk}/pdf/")["Content-Type"] == "application/pdf"
    Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.WITHDRAWN)
    client.force_login(editor)
    for report in hidden_records:
        assert client.get(f"{prefix}/articles/{report.pk}/pdf/").status_code == 200
    client.logout()
    for report in hidden_records:
        response = client.get(f"{prefix}/articles/{report.pk}/pdf/")
        assert response.status_code == 404 and response["Content-Type"].startswith("text/html"), report.status


def report_addresses(report):
    return [
        f"/articles/{report.pk}/",
        f"/en/articles/{report.pk}/",
        f"/articles/{report.pk}/cite.bib",
        f"/articles/{report.pk}/cite.ris",
        f"/articles/{report.pk}/pdf/",
        f"/en/articles/{report.pk}/pdf/",
        f"/api/v1/articles/{report.pk}/",
        f"/api/v1/articles/{report.pk}/annotations/",
    ]


def test_an_editor_previews_an_unpublished_report_on_every_surface_marked_and_never_cached(
    client, editor, hidden_records
):
    client.force_login(editor)
    for report in hidden_records:
        for address in report_addresses(report):
            response = client.get(address)
            assert response.status_code == 200, address
            # no shared cache may keep it, and no search engine index it
            assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"], address
            assert "Cookie" in response["Vary"], address
            if not address.startswith("/api/"):
                assert response["X-Robots-Tag"] == "noindex, nofollow", address
        page = client.get(f"/en/articles/{report.pk}/").content.decode()
        assert '<meta name="robots" content="noindex, nofollow">' in page
        assert 'class="preview-banner"' in page and "only editors can see it" in page
        arabic = client.get(f"/articles/{report.pk}/").content.decode()
        assert "لا يراه إلا المحررون" in arabic


def test_an_editor_gets_the_same_answer_everywhere_for_a_published_and_an_unknown_report(client, editor, demo):
    client.force_login(editor)
    for address in report_addresses(demo):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "X-Robots-Tag" not in response, address
    assert 'class="preview-banner"' not in client.get(f"/en/articles/{demo.pk}/").content.decode()
    for address in report_addresses(Article(pk=999999)):
        assert client.get(address).status_code == 404, address


def test_an_editor_sees_the_whole_record_and_the_feed_and_sitemap_stay_public(client, editor, hidden_records):
    client.force_login(editor)
    for address in hidden_record_addresses():
        if address.endswith(".png"):
            continue  # the small timelines are the public view, like the charts, for everyone
        assert client.get(address).status_code == 200, address
    for address in ("/feed/", "/sitemap.xml"):
        content = client.get(address).content.decode()
        for word in record_secrets(hidden_records):
            assert word not in content, (address, word)


def test_answers_to_the_public_stay_cacheable(client, demo, hidden_records):
    for address in ("/", f"/articles/{demo.pk}/", "/charts/activity.png", "/api/v1/articles/"):
        response = client.get(address)
        assert "no-store" not in response.get("Cache-Control", ""), address
    assert client.get("/charts/activity.png")["Cache-Control"].startswith("public")

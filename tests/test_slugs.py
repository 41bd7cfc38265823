"""Readable addresses: every record's slug comes from its name by one rule, Arabic letters kept."""

from urllib.parse import quote

import pytest

from articles.actions import source_named
from articles.models import Article, Source
from articles.slugs import readable_slug, unique_slug
from tests.factories import make_article


@pytest.mark.parametrize(
    ("names", "slug"),
    [
        (("Al-Waght",), "al-waght"),
        (("", "الوقت"), "الوقت"),
        (("وزارة الخارجية",), "وزارة-الخارجية"),
        (("الشَّرْق الأوسـط",), "الشرق-الأوسط"),  # diacritics and tatweel dropped, letters as printed
        (("Reuters", "رويترز"), "reuters"),  # the first name that gives a slug
        (("!!!", "؟؟"), "record"),
    ],
)
def test_readable_slug(names, slug):
    assert readable_slug(*names) == slug


@pytest.mark.django_db
def test_a_taken_slug_gets_a_number():
    Source.objects.create(name_ar="الوقت", slug="الوقت")
    assert unique_slug(Source, "الوقت") == "الوقت-2"
    Source.objects.create(name_ar="الوقت ٢", slug="الوقت-2")
    assert unique_slug(Source, "الوقت") == "الوقت-3"


@pytest.mark.django_db
def test_sources_named_in_arabic_get_arabic_slugs_not_source_2():
    first = source_named("الحياة")
    second = source_named("الشرق الأوسط")
    assert (first.slug, second.slug) == ("الحياة", "الشرق-الأوسط")
    assert source_named("Reuters").slug == "reuters"
    assert source_named("الوطن", other_name="Al-Watan").slug == "al-watan"


@pytest.mark.django_db
def test_an_arabic_slug_is_a_working_address(client):
    source = source_named("الحياة")
    make_article(source=source, status=Article.Status.PUBLISHED, title="تقرير من الحياة")
    url = f"/sources/{quote(source.slug)}/"
    response = client.get(url)
    assert response.status_code == 200
    assert "تقرير من الحياة" in response.content.decode()
    assert quote(source.slug) in client.get("/sources/").content.decode()


@pytest.mark.django_db
def test_the_demo_source_reads_in_latin_letters(demo):
    assert demo.source.slug == "al-waght"

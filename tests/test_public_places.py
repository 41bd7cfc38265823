"""Places have pages like participants (the meetings held there, the reports that name them), their
names are links wherever they appear, and their names are searchable across scripts."""

import datetime

import pytest

from articles.models import Article, Mention
from articles.search import search
from tests.factories import make_article, make_meeting, make_place

pytestmark = pytest.mark.django_db


def test_the_place_page_lists_meetings_held_there_and_reports_naming_it(client, linked_demo):
    html = client.get("/en/places/moscow/").content.decode()
    assert "<h1>Moscow</h1>" in html
    assert 'lang="ar" dir="rtl">موسكو</bdi>' in html  # its other name, marked as Arabic
    assert "/en/meetings/kerry-lavrov-talks-2016-03-24/" in html
    assert linked_demo.title in html
    arabic = client.get("/places/geneva/").content.decode()
    assert "<h1>جنيف</h1>" in arabic and linked_demo.title in arabic  # named in the text, no meeting held there
    assert "لا لقاءات مسجلة هنا" in arabic


def test_place_names_link_to_their_page(client, linked_demo):
    report = client.get(f"/en/articles/{linked_demo.pk}/").content.decode()
    assert 'class="mention mention-place" href="/en/places/geneva/"' in report
    assert '<a href="/en/places/moscow/">Moscow</a>' in report  # in the panel "in this report"
    meeting = client.get("/en/meetings/kerry-lavrov-talks-2016-03-24/").content.decode()
    assert 'href="/en/places/moscow/"' in meeting
    assert 'href="/en/places/moscow/"' in client.get("/en/").content.decode()


def test_a_draft_naming_a_place_stays_off_its_page(client):
    place = make_place(name_ar="الدوحة", name_en="Doha", slug="doha")
    draft = make_article(title="مسودة عن الدوحة", body="لقاء في الدوحة.", status=Article.Status.DRAFT)
    start = draft.body.index("الدوحة")
    Mention.objects.create(article=draft, start=start, end=start + 6, text="الدوحة", place=place)
    html = client.get("/en/places/doha/").content.decode()
    assert draft.title not in html
    assert client.get("/en/places/nowhere/").status_code == 404


def test_place_names_are_found_across_scripts():
    geneva = make_place(name_ar="جنيف", name_en="Geneva", slug="geneva")
    printed = make_article(title="محادثات مباشرة", body="بدء مفاوضات مباشرة في جنيف بين الطرفين.")
    start = printed.body.index("جنيف")
    Mention.objects.create(article=printed, start=start, end=start + 4, text="جنيف", place=geneva)
    held = make_article(title="لقاء الوزيرين", body="التقى الوزيران اليوم.")
    held.meetings.add(make_meeting(place=geneva, start=datetime.date(2016, 3, 24)))
    unrelated = make_article(title="تقرير آخر", body="لا مكان هنا.")
    found = set(search(Article.objects.all(), "Geneva"))
    assert found == {printed, held}
    assert set(search(Article.objects.all(), "جنيف")) == {printed, held}
    assert unrelated not in found


def test_the_place_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    place = make_place(slug="amman", name_ar="عمّان", name_en="Amman")
    for n in range(3):
        make_meeting(place=place, start=datetime.date(2016, 1, n + 1)).articles.add(make_article())
    # 1 place, 2 meetings, 3 coverage page, 4 coverage count
    with django_assert_num_queries(4):
        client.get("/en/places/amman/")
    for n in range(20):
        make_meeting(place=place, start=datetime.date(2017, 1, n + 1)).articles.add(make_article())
    with django_assert_num_queries(4):
        client.get("/en/places/amman/")

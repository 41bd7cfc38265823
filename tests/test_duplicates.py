"""Near-duplicate reports: MinHash signatures over normalised word runs, found through stored bands."""

import time

import pytest
from django.urls import reverse

from articles.duplicates import copy_groups, index_text, near_duplicates, signature, similarity
from articles.models import TextBand
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db

WIRE = (
    "أعلن وزير الخارجية الروسي سيرغي لافروف بعد محادثاته مع نظيره الأميركي جون كيري في موسكو أن البلدين "
    "اتفقا على دعم المفاوضات السورية المباشرة في جنيف، وأن الهدنة صامدة في معظم المناطق رغم خروقات محدودة. "
    "وقال كيري إن الجانبين بحثا جدولا زمنيا للانتقال السياسي، وإن واشنطن وموسكو ستعملان معا لإيصال "
    "المساعدات الإنسانية إلى المناطق المحاصرة، مضيفا أن التعاون بين القوتين أحدث فرقا في حياة السوريين."
)


def test_similarity_estimates_shared_word_runs():
    assert similarity(signature(WIRE), signature(WIRE)) == 1.0
    # the same text with diacritics, other hamza forms and an Arabic-Indic date is still the same text
    variant = WIRE.replace("أعلن", "اعلن").replace("الأميركي", "الأميركيّ") + " ٢٠١٦"
    assert similarity(signature(WIRE), signature(variant)) >= 0.85
    unrelated = "قمة عربية في القاهرة تبحث أزمة المياه بين مصر وإثيوبيا وتدعو إلى حل تفاوضي عادل وشامل للجميع"
    assert similarity(signature(WIRE), signature(unrelated)) <= 0.1


def test_a_copy_from_another_outlet_is_found_with_its_similarity():
    original = make_article(body=WIRE, source=make_source())
    index_text(original)
    copy = "موسكو (رويترز) - " + WIRE + " وذكرت الوكالة أن اللقاء استمر ثلاث ساعات."
    found = near_duplicates(copy)
    assert [pk for pk, _ in found] == [original.pk]
    assert 0.7 <= found[0][1] < 1.0
    assert near_duplicates(copy, exclude=original.pk) == []
    assert near_duplicates("نص لا علاقة له بأي تقرير آخر في الأرشيف عن الطقس في الرباط اليوم") == []


def test_index_text_replaces_the_old_bands_when_the_text_changes():
    article = make_article(body=WIRE)
    index_text(article)
    assert TextBand.objects.filter(article=article).count() == 16
    article.body = "نص جديد تماما بعد التصحيح لا يشبه القديم في شيء من كلماته أبدا"
    article.save()
    index_text(article)
    assert TextBand.objects.filter(article=article).count() == 16
    assert near_duplicates(WIRE) == []


def test_copies_are_grouped_in_the_order_given():
    a = make_article(body=WIRE)
    b = make_article(body="عاجل: " + WIRE)
    c = make_article(body="قمة عربية في القاهرة تبحث أزمة المياه بين مصر وإثيوبيا وتدعو إلى حل تفاوضي")
    for article in (a, b, c):
        index_text(article)
    assert copy_groups([c.pk, a.pk, b.pk]) == [[c.pk], [a.pk, b.pk]]


def test_lookup_is_one_query_and_fast(django_assert_num_queries):
    for n in range(200):
        index_text(make_article(body=f"تقرير رقم {n} عن موضوع {n * 7} " * 40))
    original = make_article(body=WIRE)
    index_text(original)
    text = "موسكو - " + WIRE
    # 1 the signatures of the reports sharing a band with the text
    with django_assert_num_queries(1):
        assert [pk for pk, _ in near_duplicates(text)] == [original.pk]
    started = time.perf_counter()
    for _ in range(20):
        near_duplicates(text)
    assert (time.perf_counter() - started) / 20 < 0.05


def test_editors_see_which_other_outlet_carries_the_same_text(client, reviewer):
    original = make_article(body=WIRE, source=make_source(name_ar="وكالة", name_en="Agency", slug="agency"))
    index_text(original)
    copy = make_article(body="موسكو - " + WIRE, source=make_source(slug="paper"))
    client.force_login(reviewer)
    response = client.get(reverse("admin:articles_article_change", args=[copy.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    notice = html[html.index(reverse("admin:articles_article_change", args=[original.pk])) :]
    percent = round(near_duplicates(f"{copy.title}\n{copy.body}", exclude=copy.pk)[0][1] * 100)
    assert f"{percent}%" in notice[: notice.index("</a>")] and "وكالة" in notice[: notice.index("</a>")]

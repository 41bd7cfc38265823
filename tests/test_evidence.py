"""The evidence behind every record: passages linked to a meeting's or an agreement's fields,
shown on the record's page as "according to", linked from the annotator in one step."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles import workflow
from articles.actions import link_evidence
from articles.evidence import according_to
from articles.models import Article, Evidence
from diplomacy.models import Agreement, Meeting, Participant
from tests.factories import make_article
from tests.public_helpers import LANGUAGES

pytestmark = pytest.mark.django_db

TALKS = "kerry-lavrov-talks-2016-03-24"
GENEVA = "geneva-direct-talks-2016-03-24"


def section(html):
    start = html.index('id="evidence"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_meeting_page_shows_each_field_according_to_its_passages(client, second_demo, prefix):
    html = section(client.get(f"{prefix}/meetings/{TALKS}/").content.decode())
    date = html[html.index('id="evidence-date"') : html.index('id="evidence-place"')]
    assert "يوم الخميس 24 آذار/مارس 2016" in date
    line = second_demo.body.count("\n", 0, second_demo.body.index("يوم الخميس")) + 1
    assert f'href="{prefix}/articles/{second_demo.pk}/#line-{line}"' in date
    people = html[html.index('id="evidence-participants"') :]
    assert "وزير الخارجية الروسي سيرغي لافروف" in people and "نظيره الأميركي جون كيري" in people
    assert "editors-statement" not in html


def test_a_field_without_a_passage_is_the_editors_statement(client, demo):
    html = section(client.get(f"/en/meetings/{TALKS}/").content.decode())
    assert html.count('class="meta editors-statement"') == 3  # date, place, participants
    assert "The editors&#x27; statement" in html or "The editors' statement" in html


def test_agreement_page_shows_status_and_parties_evidence(client, second_demo):
    html = section(client.get(f"/agreements/{GENEVA}/").content.decode())
    parties = html[html.index('id="evidence-parties"') :]
    assert "موسكو وواشنطن تدعمان المفاوضات السورية المباشرة في جنيف" in parties
    status = html[html.index('id="evidence-status"') : html.index('id="evidence-parties"')]
    assert "تدعمان المفاوضات السورية المباشرة في جنيف" in status
    announced = html[html.index('id="evidence-announced"') : html.index('id="evidence-status"')]
    assert "editors-statement" in announced


def test_evidence_of_unpublished_reports_is_not_shown(client, second_demo):
    for status in (Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.WITHDRAWN):
        second_demo.status = status
        second_demo.save()
        html = section(client.get(f"/meetings/{TALKS}/").content.decode())
        assert "يوم الخميس 24 آذار/مارس 2016" not in html
        assert "editors-statement" in html
        assert client.get(f"/api/v1/evidence/?meeting={TALKS}").json()["results"] == []


def test_a_field_must_belong_to_its_record(demo):
    meeting = Meeting.objects.get(slug=TALKS)
    with pytest.raises(ValidationError, match="status"):
        link_evidence(demo, text="موسكو", field="status", meeting=meeting, user=workflow.COMMAND)
    with pytest.raises(ValidationError, match="نص غير موجود"):
        link_evidence(demo, text="نص غير موجود", field="date", meeting=meeting, user=workflow.COMMAND)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(article=demo, start=0, end=4, text=demo.body[:4], field="signed", meeting=meeting)


def test_annotator_links_evidence_in_one_step(client, editor):
    body = "التقى الوزيران في جنيف يوم الجمعة 8 نيسان 2016 وبحثا الهدنة."
    article = make_article(status=Article.Status.DRAFT, body=body)
    meeting = Meeting.objects.create(
        kind="meeting", title_ar="لقاء", title_en="Meeting", slug="m-1", start="2016-04-08"
    )
    client.force_login(editor)
    start = body.index("يوم الجمعة")
    text = "يوم الجمعة 8 نيسان 2016"
    url = reverse("admin:articles_article_annotate", args=[article.pk, "evidence"])
    fields = {"start": start, "end": start + len(text), "text": text, "meeting": meeting.pk, "field": "date"}
    response = client.post(url, {f"evidence-{name}": value for name, value in fields.items()})
    assert response.status_code == 201, response.content
    assert "لقاء" in response.json()["label"]
    evidence = Evidence.objects.get(article=article)
    assert (evidence.meeting, evidence.field, evidence.text) == (meeting, "date", text)
    assert evidence.history.first().history_user == editor
    # a field the record does not have is refused with the reason, nothing saved
    fields["field"] = "signed"
    refused = client.post(url, {f"evidence-{name}": value for name, value in fields.items()})
    assert refused.status_code == 400
    assert Evidence.objects.count() == 1
    # the change page offers the choice
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'value="evidence"' in page and 'data-kind="evidence"' in page


def test_according_to_is_one_query(second_demo, django_assert_num_queries):
    meeting = Meeting.objects.get(slug=TALKS)
    with django_assert_num_queries(1):
        fields = according_to(meeting, None)
    assert [f.field for f in fields] == ["date", "place", "participants"]
    agreement = Agreement.objects.get(slug=GENEVA)
    with django_assert_num_queries(1):
        assert [f.field for f in according_to(agreement, None)] == ["announced", "status", "parties"]


def test_evidence_api_and_exports(client, second_demo):
    data = client.get(f"/api/v1/evidence/?meeting={TALKS}&field=participants").json()
    rows = data["results"]
    assert {row["participant"] for row in rows} == {"lavrov", "kerry"}
    assert all(row["meeting"] == TALKS and row["article"] == second_demo.pk for row in rows)
    csv = b"".join(client.get(f"/api/v1/evidence/?agreement={GENEVA}&format=csv").streaming_content).decode()
    assert "field" in csv.splitlines()[0] and "parties" in csv and "status" in csv
    assert Participant.objects.filter(slug="lavrov").exists()

"""The database refuses what must never exist; model helpers answer domain questions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from articles.arabic import normalize
from articles.models import Article, Mention, Note, Quote, content_hash
from diplomacy.models import Agreement, AgreementParty, Office, Participant, ParticipantAlias, Participation
from tests.factories import make_article, make_meeting, make_participant, make_place, make_source, make_topic

pytestmark = pytest.mark.django_db


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_article_keeps_its_content_hash_current():
    article = make_article(title="عنوان", body="نص")
    assert article.content_hash == content_hash("عنوان", "نص")
    article.body = "نص آخر"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.content_hash == content_hash("عنوان", "نص آخر")


def test_duplicate_content_is_refused():
    make_article(title="عنوان", body="نص")
    refused(lambda: make_article(title="عنوان", body="نص"))


def test_empty_title_or_body_is_refused():
    refused(lambda: make_article(title=""))
    refused(lambda: make_article(body=""))


def test_unknown_status_is_refused():
    refused(lambda: make_article(status="lost"))


@pytest.mark.parametrize("model", [Quote, Note, Mention])
def test_empty_or_inverted_span_is_refused(model):
    article = make_article(body="كيري ولافروف")
    extra = {"note": "ملاحظة"} if model is Note else {}
    if model is Mention:
        extra["participant"] = make_participant()
    refused(lambda: model.objects.create(article=article, start=3, end=3, text="x", **extra))
    refused(lambda: model.objects.create(article=article, start=4, end=2, text="x", **extra))


def test_mention_points_at_exactly_one_thing():
    article = make_article(body="كيري في موسكو")
    person, place = make_participant(), make_place()
    refused(lambda: Mention.objects.create(article=article, start=0, end=4, text="كيري"))
    refused(
        lambda: Mention.objects.create(article=article, start=0, end=4, text="كيري", participant=person, place=place)
    )
    Mention.objects.create(article=article, start=0, end=4, text="كيري", participant=person)
    Mention.objects.create(article=article, start=8, end=13, text="موسكو", place=place)


@translation.override("en")  # the messages are matched in English; the Arabic catalogue translates them
def test_span_validation_checks_the_body():
    article = make_article(body="قال كيري للافروف")
    person = make_participant()
    good = Mention(article=article, start=4, end=8, text="كيري", participant=person)
    good.full_clean()
    with pytest.raises(ValidationError, match="does not match"):
        Mention(article=article, start=4, end=8, text="بوتين", participant=person).full_clean()
    with pytest.raises(ValidationError, match="past the end"):
        Mention(article=article, start=4, end=80, text="كيري", participant=person).full_clean()
    with pytest.raises(ValidationError, match="exactly one"):
        Mention(article=article, start=4, end=8, text="كيري").full_clean()


def test_office_and_meeting_cannot_end_before_they_start():
    person = make_participant()
    refused(
        lambda: Office.objects.create(
            participant=person, title_ar="وزير", start=datetime.date(2016, 1, 2), end=datetime.date(2016, 1, 1)
        )
    )
    refused(lambda: make_meeting(start=datetime.date(2016, 3, 24), end=datetime.date(2016, 3, 23)))


def test_agreement_cannot_end_before_it_was_signed():
    refused(
        lambda: Agreement.objects.create(
            kind="ceasefire",
            status="collapsed",
            title_ar="هدنة",
            slug="truce",
            signed=datetime.date(2016, 2, 27),
            ended=datetime.date(2016, 2, 1),
        )
    )


def test_meeting_cannot_be_part_of_itself():
    meeting = make_meeting()
    meeting.part_of = meeting
    refused(meeting.save)


def test_duplicate_slugs_are_refused():
    make_participant(slug="kerry")
    refused(lambda: make_participant(slug="kerry"))
    make_topic(slug="syria")
    refused(lambda: make_topic(slug="syria"))
    make_source(slug="reuters")
    refused(lambda: make_source(slug="reuters"))


def test_bad_country_code_fails_validation():
    person = make_participant()
    person.country = "USA"
    with pytest.raises(ValidationError, match="ISO 3166"):
        person.full_clean()
    person.country = "XX"
    with pytest.raises(ValidationError, match="ISO 3166"):
        person.full_clean()


def test_participation_and_party_roles_are_unique_per_record():
    person, meeting = make_participant(), make_meeting()
    Participation.objects.create(meeting=meeting, participant=person, role="host")
    refused(lambda: Participation.objects.create(meeting=meeting, participant=person, role="guest"))
    agreement = Agreement.objects.create(kind="truce", status="agreed", title_ar="هدنة", slug="t")
    AgreementParty.objects.create(agreement=agreement, participant=person)
    refused(lambda: AgreementParty.objects.create(agreement=agreement, participant=person, role="witness"))


def test_office_on_answers_who_held_an_office_on_a_day():
    kerry = make_participant(slug="kerry")
    Office.objects.create(
        participant=kerry,
        title_ar="عضو مجلس الشيوخ",
        country="US",
        start=datetime.date(1985, 1, 3),
        end=datetime.date(2013, 2, 1),
    )
    Office.objects.create(
        participant=kerry,
        title_ar="وزير الخارجية الأميركي",
        country="US",
        start=datetime.date(2013, 2, 1),
        end=datetime.date(2017, 1, 20),
    )
    assert kerry.office_on(datetime.date(2016, 3, 24)).title_ar == "وزير الخارجية الأميركي"
    assert kerry.office_on(datetime.date(2018, 1, 1)) is None


def test_alias_keeps_a_normalised_form_for_matching():
    lavrov = make_participant(slug="lavrov")
    ParticipantAlias.objects.create(participant=lavrov, name=" سيرغي لافروف ")
    ParticipantAlias.objects.create(participant=lavrov, name="Sergey Lavrov", language="en")
    assert list(Participant.objects.with_alias(normalize("سيرغي لافروف").casefold())) == [lavrov]
    assert list(Participant.objects.with_alias(normalize("sergey LAVROV").casefold())) == [lavrov]
    refused(lambda: ParticipantAlias.objects.create(participant=lavrov, name="سيرغي لافروف"))


def test_visible_to_shows_drafts_only_to_editors(editor, django_user_model):
    published = make_article()
    draft = make_article(status=Article.Status.DRAFT)
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert set(Article.objects.visible_to(None)) == {published}
    assert set(Article.objects.visible_to(anonymous)) == {published}
    assert set(Article.objects.visible_to(editor)) == {published, draft}


def test_groups_hold_the_editorial_permissions(editor, reviewer):
    assert editor.has_perm("articles.change_article")
    assert editor.has_perm("articles.add_quote")
    assert not editor.has_perm("articles.publish_article")
    assert reviewer.has_perm("articles.publish_article")


def test_history_is_recorded_for_articles_and_annotations():
    article = make_article()
    article.title = "عنوان جديد"
    article.save()
    assert article.history.count() == 2
    quote = Quote.objects.create(article=article, start=0, end=4, text=article.body[:4])
    assert quote.history.count() == 1
    meeting = make_meeting()
    assert meeting.history.count() == 1

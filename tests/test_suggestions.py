"""Editors' suggestions on a stored article (issue 3 items 6 and 7)."""

import datetime
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Mention, Quote
from articles.suggestions import get_toolkit, suggest_for_article
from diplomacy.models import Office, Participant, ParticipantAlias
from tests.arabic_seed import seed_annotation
from tests.factories import make_article, make_participant, make_place

pytestmark = pytest.mark.django_db

PERSONS = {"kerry", "lavrov", "putin", "obama", "assad"}


def person_mentions(suggestions):
    return [m for m in suggestions["mentions"] if m.get("participant") in PERSONS]


def test_seed_person_mentions_with_exact_spans(demo):
    suggestions = suggest_for_article(demo)
    found = person_mentions(suggestions)
    assert Counter(m["participant"] for m in found) == {"kerry": 9, "lavrov": 7, "putin": 3, "obama": 1, "assad": 1}
    for m in suggestions["mentions"]:
        assert demo.body[m["start"] : m["end"]] == m["text"]
        assert set(m) == {"start", "end", "text", "participant"} or set(m) == {"start", "end", "text", "place"}
    # attached letters stay outside: للافروف and ولافروف give لافروف
    for word in ("للافروف", "ولافروف"):
        i = demo.body.index(word)
        assert {"start": i + 1, "end": i + 7, "text": "لافروف", "participant": "lavrov"} in found
    # a full name is one mention
    i = demo.body.index("سيرغي لافروف")
    assert {"start": i, "end": i + len("سيرغي لافروف"), "text": "سيرغي لافروف", "participant": "lavrov"} in found
    assert not any(m["start"] == i + len("سيرغي ") for m in found)


def test_seed_places_and_states_are_suggested_too(demo):
    mentions = suggest_for_article(demo)["mentions"]
    assert any(m.get("place") == "geneva" and m["text"] == "جنيف" for m in mentions)
    assert any(m.get("place") == "moscow" for m in mentions)
    assert any(m.get("participant") == "united-states" and m["text"] == "الولايات المتحدة" for m in mentions)


def test_seed_quotes_are_annotated_so_none_is_suggested(demo):
    assert demo.quotes.count() == 18
    assert suggest_for_article(demo)["quotes"] == []


def test_seed_quotes_suggested_once_their_annotations_are_gone(demo):
    demo.quotes.all().delete()
    quotes = suggest_for_article(demo)["quotes"]
    reference = seed_annotation()["quotes"]
    assert len(quotes) == 18
    for found, ref in zip(quotes, reference, strict=True):
        assert found["text"] == ref["text"] == demo.body[found["start"] : found["end"]]
        assert found["speaker"] == ref["speaker"]
        assert found["kind"] == ref["kind"]
        assert found["addressee"] == ref.get("addressee")


def test_only_the_unannotated_quote_is_suggested(demo):
    unclosed = demo.quotes.get(text__startswith="إجراءات إضافية")
    span = (unclosed.start, unclosed.end)
    unclosed.delete()
    [quote] = suggest_for_article(demo)["quotes"]
    assert (quote["start"], quote["end"]) == span
    assert quote["speaker"] == "lavrov"
    assert quote["kind"] == "partial"


def test_annotated_mention_is_left_out(demo):
    first = person_mentions(suggest_for_article(demo))[0]
    assert first["text"] == "جون كيري"
    Mention.objects.create(
        article=demo,
        start=first["start"],
        end=first["end"],
        text=first["text"],
        participant=Participant.objects.get(slug="kerry"),
    )
    after = person_mentions(suggest_for_article(demo))
    assert first not in after
    assert len(after) == 20
    Mention.objects.filter(article=demo).delete()
    assert first in person_mentions(suggest_for_article(demo))


def test_new_alias_is_matched_without_a_restart(demo):
    get_toolkit()  # built and cached
    body = "وصل الوزير جون كيري إلى موسكو، وقال كيري للافروف: “نحن هنا”."
    article = make_article(body=body, published=datetime.date(2016, 3, 24))
    new = make_participant(slug="ghost", name_ar="زائر مجهول", name_en="Ghost")
    assert not any(m.get("participant") == "ghost" for m in suggest_for_article(article)["mentions"])
    alias = ParticipantAlias.objects.create(participant=new, name="الوزير")
    assert any(m.get("participant") == "ghost" for m in suggest_for_article(article)["mentions"])
    alias.delete()
    assert not any(m.get("participant") == "ghost" for m in suggest_for_article(article)["mentions"])


def test_renamed_place_is_matched_without_a_restart(db):
    place = make_place(slug="beirut", name_ar="بيروت", name_en="Beirut")
    article = make_article(body="وصل الوفد إلى بيروت ثم إلى طرابلس.")
    assert [m["place"] for m in suggest_for_article(article)["mentions"]] == ["beirut"]
    place.name_ar = "طرابلس"
    place.save()
    assert [m["text"] for m in suggest_for_article(article)["mentions"]] == ["طرابلس"]


def test_role_phrase_speaker_through_offices_on_the_date(db):
    kerry = make_participant(slug="kerry", name_ar="جون كيري", name_en="John Kerry")
    blinken = make_participant(slug="blinken", name_ar="أنتوني بلينكن", name_en="Antony Blinken")
    for who, start, end in ((kerry, "2013-02-01", "2017-01-20"), (blinken, "2021-01-26", None)):
        Office.objects.create(participant=who, title_ar="وزير الخارجية الأميركي", country="US", start=start, end=end)
    body = "وأوضح الوزير الأميركي أن “التعاون ممكن مع الجميع”."
    old = make_article(body=body, published=datetime.date(2016, 3, 24))
    new = make_article(body=body + " ", published=datetime.date(2023, 5, 1))
    assert suggest_for_article(old)["quotes"][0]["speaker"] == "kerry"
    assert suggest_for_article(new)["quotes"][0]["speaker"] == "blinken"
    # role phrases name speakers but are not suggested as mentions
    assert suggest_for_article(old)["mentions"] == []


def test_dates_are_resolved_against_the_publication_date(demo):
    demo.published = datetime.date(2016, 3, 24)
    demo.save(update_fields=["published"])
    assert suggest_for_article(demo)["dates"] == [
        {"start": 878, "end": 889, "text": "صباح الخميس", "date": "2016-03-24", "precision": "day"},
        {"start": 1227, "end": 1234, "text": "27 شباط", "date": "2016-02-27", "precision": "day"},
    ]


def test_dates_without_a_publication_date_are_unresolved(demo):
    assert [d["date"] for d in suggest_for_article(demo)["dates"]] == [None, None]


def test_command_prints_json(demo):
    out = StringIO()
    call_command("suggest_annotations", str(demo.pk), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"mentions", "quotes", "dates"}
    assert data == suggest_for_article(demo)
    assert "لافروف" in out.getvalue()  # UTF-8, not \\u escapes


def test_command_readable_listing(demo):
    demo.quotes.all().delete()
    out = StringIO()
    call_command("suggest_annotations", str(demo.pk), stdout=out)
    text = out.getvalue()
    assert "Mentions (" in text and "Quotes (18)" in text and "Dates (2)" in text
    assert "participant lavrov" in text


def test_command_unknown_article(db):
    with pytest.raises(CommandError, match="no article with id 424242"):
        call_command("suggest_annotations", "424242", "--json")


def test_quote_left_out_only_for_the_same_span(demo):
    quote = demo.quotes.get(text="نقاط التقاء")
    quote.end -= 1
    quote.text = demo.body[quote.start : quote.end]
    quote.save()
    suggested = suggest_for_article(demo)["quotes"]
    assert [q["text"] for q in suggested] == ["نقاط التقاء"]
    assert Quote.objects.filter(article=demo).count() == 18


def test_seed_imported_as_plain_text_gets_every_quote_and_mention(db, tmp_path):
    """The seed without its annotation (imported as a .txt): the suggestions find it all."""
    from django.conf import settings

    from articles.models import Article

    demo = settings.BASE_DIR / "articles" / "demo"
    call_command("import_records", str(demo / "kerry-moscow-2016.annotations.json"), stdout=StringIO())
    Article.objects.all().delete()  # keep the people and places, drop the annotated article
    call_command("import_articles", str(demo / "kerry-moscow-2016.txt"), stdout=StringIO())
    article = Article.objects.get()
    assert not article.quotes.exists()
    suggestions = suggest_for_article(article)
    assert Counter(m["participant"] for m in person_mentions(suggestions)) == {
        "kerry": 9,
        "lavrov": 7,
        "putin": 3,
        "obama": 1,
        "assad": 1,
    }
    reference = seed_annotation()["quotes"]
    assert [(q["text"], q["speaker"], q["kind"], q["addressee"]) for q in suggestions["quotes"]] == [
        (r["text"], r["speaker"], r["kind"], r.get("addressee")) for r in reference
    ]


def test_states_and_organisations_can_speak(db):
    make_participant(slug="russia", kind=Participant.Kind.STATE, name_ar="روسيا", name_en="Russia")
    moscow = make_participant(slug="russia-state", kind=Participant.Kind.STATE, name_ar="موسكو الرسمية")
    ParticipantAlias.objects.create(participant=moscow, name="موسكو")
    make_place(slug="moscow", name_ar="موسكو", name_en="Moscow")
    article = make_article(body="وقالت موسكو إن “الاتفاق صامد”.")
    [quote] = suggest_for_article(article)["quotes"]
    assert quote["speaker"] == "russia-state"


def test_role_phrases_as_mentions_on_request(demo):
    plain = suggest_for_article(demo)
    with_roles = suggest_for_article(demo, roles=True)
    added = [m for m in with_roles["mentions"] if m.get("via") == "role"]
    assert [m for m in with_roles["mentions"] if "via" not in m] == plain["mentions"]
    # "وزير الخارجية الأميركي جون كيري" etc.: every role phrase of the seed, resolved without a date
    # through the people the report names
    assert [(m["text"], m["participant"]) for m in added] == [
        ("وزير الخارجية الأميركي", "kerry"),
        ("الرئيس الروسي", "putin"),
        ("نظيره الروسي", "lavrov"),
        ("الوزير الاميركي", "kerry"),
        ("نظيره الأميركي", "kerry"),
        ("الوزير الروسي", "lavrov"),
        ("الوزير الروسي", "lavrov"),
    ]
    for m in added:
        assert demo.body[m["start"] : m["end"]] == m["text"]
    out = StringIO()
    call_command("suggest_annotations", str(demo.pk), "--roles", stdout=out)
    assert "(role phrase)" in out.getvalue()


def test_quotes_list_their_co_speakers(db):
    kerry = make_participant(slug="kerry", name_ar="جون كيري", name_en="John Kerry")
    lavrov = make_participant(slug="lavrov", name_ar="سيرغي لافروف", name_en="Sergey Lavrov")
    ParticipantAlias.objects.create(participant=kerry, name="كيري")
    ParticipantAlias.objects.create(participant=lavrov, name="لافروف")
    article = make_article(body="وأكد كيري ولافروف في مؤتمر صحفي أن “الهدنة صامدة رغم الخروقات”. وقال كيري “نعم”.")
    quotes = suggest_for_article(article)["quotes"]
    assert [(q["speaker"], q["co_speakers"]) for q in quotes] == [("kerry", ["lavrov"]), ("kerry", [])]
    assert "new_participants" not in suggest_for_article(article)


def test_an_unknown_official_is_suggested_as_a_new_participant(db):
    attiyah = make_participant(slug="attiyah", name_ar="خالد العطية", name_en="Khalid al-Attiyah")
    ParticipantAlias.objects.create(participant=attiyah, name="العطية")
    body = (
        "وقال سفين دزيي، المتحدث الرسمي باسم حكومة إقليم كردستان، لـ«الشرق الأوسط»: «زيارة العطية تكملة لزيارته "
        "إلى بغداد». وأضاف أن «الإقليم جزء من العراق».\n"
        "وقال العطية في مؤتمر صحافي: «زيارتنا جاءت استكمالا لزيارتنا إلى بغداد»."
    )
    article = make_article(body=body)
    out = StringIO()
    call_command("suggest_annotations", str(article.pk), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [(q["speaker"], q.get("speaker_name")) for q in data["quotes"]] == [
        (None, "سفين دزيي"),
        (None, "سفين دزيي"),
        ("attiyah", None),
    ]
    [new] = data["new_participants"]
    assert new == {
        "start": body.index("سفين"),
        "end": body.index("سفين") + len("سفين دزيي"),
        "text": "سفين دزيي",
        "title": "المتحدث الرسمي باسم حكومة إقليم كردستان",
    }
    # the names that are also words need support: "عباس" alone is not suggested
    make_participant(slug="abbas", name_ar="محمود عباس", name_en="Mahmoud Abbas")
    ParticipantAlias.objects.create(participant=Participant.objects.get(slug="abbas"), name="عباس")
    plain = make_article(body="وقال عباس إن القدس عاصمة فلسطين.")
    assert suggest_for_article(plain)["mentions"] == []
    full = make_article(body="وقال الرئيس محمود عباس إن القدس عاصمة فلسطين، وأضاف عباس أن السلام ممكن.")
    assert [m["text"] for m in suggest_for_article(full)["mentions"]] == ["محمود عباس", "عباس"]

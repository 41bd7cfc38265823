"""import_records and load_demo: idempotent by key; a bad file is refused whole."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article, Quote
from diplomacy.models import Agreement, Meeting, Participant, ParticipantAlias, Topic
from tests.conftest import SEED_RECORDS

pytestmark = pytest.mark.django_db


def test_demo_loads_the_whole_reference_annotation(demo):
    reference = json.loads(SEED_RECORDS.read_text())
    assert demo.status == Article.Status.PUBLISHED
    assert demo.source.name_ar == "الوقت" and demo.source.name_en == "Al-Waght"
    assert Participant.objects.count() == len(reference["participants"])
    lavrov = Participant.objects.get(slug="lavrov")
    assert {a.name for a in lavrov.aliases.all()} >= {"سيرغي لافروف", "سيرجي لافروف", "لافروف", "Sergey Lavrov"}
    assert lavrov.offices.get().title_en == "Minister of Foreign Affairs of Russia"
    visit = Meeting.objects.get(slug="kerry-moscow-visit-2016")
    assert {m.slug for m in visit.parts.all()} == {
        "kerry-putin-2016-03-24",
        "kerry-lavrov-talks-2016-03-24",
        "kerry-lavrov-press-2016-03-24",
    }
    talks = Meeting.objects.get(slug="kerry-lavrov-talks-2016-03-24")
    assert {(p.participant.slug, p.role) for p in talks.participations.all()} == {
        ("lavrov", "host"),
        ("kerry", "guest"),
    }
    truce = Agreement.objects.get(slug="syria-cessation-of-hostilities-2016")
    assert {(p.participant.slug, p.role) for p in truce.party_roles.all()} == {
        ("united-states", "co-sponsor"),
        ("russia", "co-sponsor"),
        ("issg", "framework"),
    }
    assert str(truce.effective) == "2016-02-27"
    assert demo.meetings.count() == 4 and demo.agreements.count() == 3 and demo.topics.count() == 9


def test_demo_quotes_are_anchored_to_their_exact_spans(demo):
    reference = json.loads(SEED_RECORDS.read_text())["quotes"]
    quotes = list(demo.quotes.select_related("speaker", "addressee").order_by("start"))
    assert len(quotes) == 18
    for quote in quotes:
        assert demo.body[quote.start : quote.end] == quote.text
    assert [(q.text, q.speaker.slug, q.kind) for q in quotes] == [
        (r["text"], r["speaker"], r["kind"]) for r in reference
    ]
    assert [q.addressee.slug for q in quotes if q.addressee] == ["lavrov"]


def test_loading_the_demo_twice_changes_nothing(linked_demo):
    counts = lambda: [m.objects.count() for m in (Article, Quote, Participant, ParticipantAlias, Meeting, Topic)]  # noqa: E731
    histories = Article.history.count() + Quote.history.count() + Participant.history.count()
    before = counts()
    out = StringIO()
    call_command("load_demo", "--seed-only", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert counts() == before
    assert Article.history.count() + Quote.history.count() + Participant.history.count() == histories


def write(tmp_path, data):
    path = tmp_path / "records.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path


def load(path):
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_records", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue()


PERSON = {"key": "kerry", "kind": "person", "name_ar": "جون كيري", "name_en": "John Kerry", "country": "US"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"participants": [dict(PERSON, country="USA")]}, "country 'USA' is not an ISO 3166 alpha-2 code"),
        ({"participants": [dict(PERSON, kind="alien")]}, "kind 'alien' is not one of"),
        (
            {"participants": [dict(PERSON, offices=[{"title_ar": "وزير", "start": "2013-02-31"}])]},
            "'start' '2013-02-31' is not a date",
        ),
        (
            {
                "participants": [PERSON],
                "meetings": [
                    {
                        "key": "m",
                        "kind": "talks",
                        "title_ar": "محادثات",
                        "start": "2016-03-24",
                        "participants": [{"who": "putin", "role": "host"}],
                    }
                ],
            },
            "participant 'putin' is not a known participant",
        ),
        (
            {"meetings": [{"key": "m", "kind": "talks", "title_ar": "م", "start": "2016-03-24", "end": "2016-03-01"}]},
            "ends (2016-03-01) before it starts",
        ),
        (
            {
                "agreements": [
                    {"key": "a", "kind": "truce", "status": "agreed", "title_ar": "هدنة", "negotiated_at": ["nowhere"]}
                ]
            },
            "meeting 'nowhere' is not a known meeting",
        ),
        ({"participants": [dict(PERSON, key="Not A Slug")]}, "must be a slug"),
    ],
)
def test_bad_records_are_named_and_nothing_is_written(tmp_path, data, message):
    data = dict(data)
    data.setdefault("participants", [])
    data["participants"] = data["participants"] + [
        {"key": "obama", "kind": "person", "name_ar": "باراك أوباما", "country": "US"}
    ]
    error = load(write(tmp_path, data))
    assert message in error
    assert "records.json" in error
    assert Participant.objects.count() == 0 and Meeting.objects.count() == 0


def test_quote_that_is_not_in_the_body_refuses_the_file(tmp_path):
    reference = json.loads(SEED_RECORDS.read_text())
    reference["quotes"][3]["text"] = "كلام لم يقله أحد"
    (tmp_path / "kerry-moscow-2016.txt").write_bytes(SEED_RECORDS.with_suffix("").with_suffix(".txt").read_bytes())
    error = load(write(tmp_path, reference))
    assert "quotes[3]" in error and "not in the article body" in error
    assert Article.objects.count() == 0 and Participant.objects.count() == 0


def test_records_update_by_key(tmp_path):
    call_command("import_records", str(write(tmp_path, {"participants": [PERSON]})), stdout=StringIO())
    call_command(
        "import_records", str(write(tmp_path, {"participants": [dict(PERSON, name_en="J. Kerry")]})), stdout=StringIO()
    )
    kerry = Participant.objects.get()
    assert kerry.name_en == "J. Kerry"
    assert kerry.history.count() == 2

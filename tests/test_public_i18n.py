"""The interface in Arabic: every catalogue string translated, the model's words too, the
language switch on every page, and dates written as each reader expects."""

import datetime
from pathlib import Path

import polib
import pytest
from django.utils import translation

from articles.display import format_date, is_subheading
from diplomacy.models import Agreement, Meeting

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def test_every_string_in_the_arabic_catalogue_is_translated():
    po = polib.pofile(str(CATALOGUE))
    assert po.metadata["Language"] == "ar"
    assert not po.fuzzy_entries()
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()]
    assert po.percent_translated() == 100
    for entry in po:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == 6  # Arabic has six plural forms


def test_model_choices_and_names_speak_arabic():
    with translation.override("ar"):
        assert str(Agreement.Status.IN_FORCE.label) == "سارٍ"
        assert str(Meeting.Kind.PRESS_CONFERENCE.label) == "مؤتمر صحفي"
        assert str(Meeting._meta.verbose_name) == "لقاء"
        assert str(Agreement._meta.get_field("signed").verbose_name) == "توقيع"


@pytest.mark.parametrize(
    ("language", "precision", "expected"),
    [
        ("ar", "day", "24 مارس/آذار 2016"),
        ("ar", "month", "مارس/آذار 2016"),
        ("ar", "year", "2016"),
        ("en", "day", "24 March 2016"),
        ("en", "month", "March 2016"),
        ("en", "year", "2016"),
    ],
)
def test_dates_with_their_precision(language, precision, expected):
    with translation.override(language):
        assert format_date(datetime.date(2016, 3, 24), precision) == expected


def test_unknown_dates_say_so():
    with translation.override("ar"):
        assert format_date(None) == "التاريخ غير معروف"
    with translation.override("en"):
        assert format_date(None) == "date unknown"


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("مؤتمر صحفي مشترك بين كيري ولافروف", True),
        ("أشار بوتين إلى أن القيادة الروسية تدرك أهمية دور الولايات المتحدة.", False),
        ("قال كيري:", False),
        ("هل تنجح المفاوضات؟", False),
        ("كلام " * 30, False),  # too long to be a heading
        ("", False),
    ],
)
def test_subheadings_are_short_lines_without_final_punctuation(line, heading):
    assert is_subheading(line) is heading

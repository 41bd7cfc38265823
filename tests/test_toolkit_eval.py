"""The toolkit on real Arabic news: the figures `benchmarks/eval_toolkit.py` reached are held.

The set is `tests/realnews/` (42 reports, 22 outlets, 2015–2018; origin and
annotation guidelines in its README). The figures are in docs/arabic.md; a
change that lowers any of them fails here, with every error listed.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "eval_toolkit.py"
_spec = importlib.util.spec_from_file_location("eval_toolkit", _PATH)
eval_toolkit = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("eval_toolkit", eval_toolkit)  # dataclasses look their module up
_spec.loader.exec_module(eval_toolkit)

# reached on 2026-11-30 (docs/arabic.md), rounded down
HELD = {
    "dev": {
        "names_f1": 1.000,
        "quotes_p": 0.977,
        "quotes_r": 1.000,
        "quotes_f1": 0.988,
        "speakers": 0.984,
        "new_speakers": 1.000,
        "dates_p": 1.000,
        "dates_r": 1.000,
        "dates_f1": 1.000,
        "date_values": 1.000,
    },
    "heldout": {
        "names_f1": 1.000,
        "quotes_f1": 1.000,
        "speakers": 0.971,
        "new_speakers": 0.800,
        "dates_f1": 1.000,
        "date_values": 1.000,
    },
}


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        # one import for the module's tests, rolled back afterwards
        with transaction.atomic():
            result = eval_toolkit.evaluate()
            transaction.set_rollback(True)
    return result


@pytest.mark.parametrize("split", sorted(HELD))
def test_figures_hold_on_real_news(reports, split):
    report = reports[split]
    figures = report.figures()
    lowered = {name: (round(figures[name], 4), floor) for name, floor in HELD[split].items() if figures[name] < floor}
    assert not lowered, (
        f"{split}: figures below what was reached {lowered}\n"
        + eval_toolkit.format_report(split, report)
        + "\n"
        + eval_toolkit.format_errors(report)
    )


def test_the_set_is_what_the_readme_says(reports):
    assert reports["dev"].reports == 32
    assert reports["heldout"].reports == 10
    assert reports["all"].quotes.tp + reports["all"].quotes.fn == 163

"""Evaluation: the Arabic toolkit's suggestions against a hand annotation of real reports.

The set is `tests/realnews/` (origin, licences and annotation guidelines in
its README): 42 reports from 11 Saudi newspapers (2015) and 11 other
outlets (2016–2018), the people they name (`records.json`) and the gold
annotation (`gold.json`). Everything goes through the public commands, as an
editor's would: `import_records`, `import_articles`, then
`suggest_annotations ID --json` for each report.

    .venv/bin/python benchmarks/eval_toolkit.py [--split dev|heldout|all] [--errors]

Runs on a throwaway in-memory SQLite database. Figures:

* names: person mentions, exact span and person (P/R/F1);
* quotation spans: exact start and end (P/R/F1);
* speakers: of the quotes found (span matched), the share whose speaker is
  the gold one (a slug, or none when the records do not know the speaker);
* dates: exact span (P/R/F1), and of those, the share with the right value
  and precision.

The split is fixed in `gold.json`: `dev` (32 reports) to tune on, `heldout`
(10 reports) to look at only for the final figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "tests" / "realnews"


@dataclass
class Score:
    """Counts for one measure; ``errors`` holds one line per miss."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Report:
    reports: int = 0
    names: Score = field(default_factory=Score)
    quotes: Score = field(default_factory=Score)
    speakers: Accuracy = field(default_factory=Accuracy)
    new_speakers: Accuracy = field(default_factory=Accuracy)
    dates: Score = field(default_factory=Score)
    date_values: Accuracy = field(default_factory=Accuracy)

    def figures(self) -> dict[str, float]:
        return {
            "names_p": self.names.precision,
            "names_r": self.names.recall,
            "names_f1": self.names.f1,
            "quotes_p": self.quotes.precision,
            "quotes_r": self.quotes.recall,
            "quotes_f1": self.quotes.f1,
            "speakers": self.speakers.value,
            "new_speakers": self.new_speakers.value,
            "dates_p": self.dates.precision,
            "dates_r": self.dates.recall,
            "dates_f1": self.dates.f1,
            "date_values": self.date_values.value,
        }


def load_gold() -> dict:
    return json.loads((SET / "gold.json").read_text(encoding="utf-8"))


def import_set(names) -> dict[str, int]:
    """Load the records and the reports through the commands; report name -> article id."""
    from django.core.management import call_command

    call_command("import_records", str(SET / "records.json"), stdout=io.StringIO())
    ids = {}
    for name in names:
        out = io.StringIO()
        call_command("import_articles", str(SET / f"{name}.jsonl"), "--json", stdout=out)
        [result] = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
        ids[name] = result["ids"][0]
    return ids


def suggestions_for(article_id: int) -> dict:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("suggest_annotations", str(article_id), "--json", stdout=out)
    return json.loads(out.getvalue())


def _where(name: str, item: dict) -> str:
    return f"{name} {item['start']}–{item['end']} {item['text'][:60]!r}"


def score_report(report: Report, name: str, gold: dict, found: dict, persons: set[str]) -> None:
    report.reports += 1

    # names: person mentions, exact span and person
    want = {(m["start"], m["end"], m["participant"]): m for m in gold["mentions"]}
    got = {
        (m["start"], m["end"], m["participant"]): m
        for m in found["mentions"]
        if m.get("participant") in persons and m.get("via") != "role"
    }
    report.names.tp += len(want.keys() & got.keys())
    for key in got.keys() - want.keys():
        report.names.fp += 1
        report.names.errors.append(f"extra name  {_where(name, got[key])} → {key[2]}")
    for key in want.keys() - got.keys():
        report.names.fn += 1
        report.names.errors.append(f"missed name {_where(name, want[key])} → {key[2]}")

    # quotation spans, then speakers of the quotes found
    want_q = {(q["start"], q["end"]): q for q in gold["quotes"]}
    got_q = {(q["start"], q["end"]): q for q in found["quotes"]}
    for key in sorted(want_q.keys() & got_q.keys()):
        report.quotes.tp += 1
        g, f = want_q[key], got_q[key]
        report.speakers.total += 1
        if g["speaker"] == f["speaker"]:
            report.speakers.right += 1
        else:
            report.speakers.errors.append(f"speaker {f['speaker']} (want {g['speaker']}) {_where(name, g)}")
        if g.get("speaker_name"):
            report.new_speakers.total += 1
            if f.get("speaker_name") == g["speaker_name"]:
                report.new_speakers.right += 1
            else:
                report.new_speakers.errors.append(
                    f"new speaker {f.get('speaker_name')!r} (want {g['speaker_name']!r}) {_where(name, g)}"
                )
    for key in sorted(got_q.keys() - want_q.keys()):
        report.quotes.fp += 1
        report.quotes.errors.append(f"extra quote  {_where(name, got_q[key])} ({got_q[key]['speaker']})")
    for key in sorted(want_q.keys() - got_q.keys()):
        report.quotes.fn += 1
        report.quotes.errors.append(f"missed quote {_where(name, want_q[key])} ({want_q[key]['speaker']})")

    # dates: exact span, then value and precision
    want_d = {(d["start"], d["end"]): d for d in gold["dates"]}
    got_d = {(d["start"], d["end"]): d for d in found["dates"]}
    for key in sorted(want_d.keys() & got_d.keys()):
        report.dates.tp += 1
        g, f = want_d[key], got_d[key]
        report.date_values.total += 1
        if (g["date"], g["precision"]) == (f["date"], f["precision"]):
            report.date_values.right += 1
        else:
            report.date_values.errors.append(
                f"date value {f['date']}/{f['precision']} (want {g['date']}/{g['precision']}) {_where(name, g)}"
            )
    for key in sorted(got_d.keys() - want_d.keys()):
        report.dates.fp += 1
        report.dates.errors.append(f"extra date  {_where(name, got_d[key])} = {got_d[key]['date']}")
    for key in sorted(want_d.keys() - got_d.keys()):
        report.dates.fn += 1
        report.dates.errors.append(f"missed date {_where(name, want_d[key])} = {want_d[key]['date']}")


def evaluate() -> dict[str, Report]:
    """Import the set (the database must be ready and empty) and score it: split -> Report."""
    gold = load_gold()
    records = json.loads((SET / "records.json").read_text(encoding="utf-8"))
    persons = {p["key"] for p in records["participants"] if p["kind"] == "person"}
    ids = import_set(sorted(gold))
    reports = {"dev": Report(), "heldout": Report(), "all": Report()}
    for name in sorted(gold):
        found = suggestions_for(ids[name])
        for split in (gold[name]["split"], "all"):
            score_report(reports[split], name, gold[name], found, persons)
    return reports


def format_report(split: str, report: Report) -> str:
    f = report.figures()
    return "\n".join(
        [
            f"{split}: {report.reports} reports",
            f"  names      P {f['names_p']:.3f}  R {f['names_r']:.3f}  F1 {f['names_f1']:.3f}"
            f"  ({report.names.tp + report.names.fn} in gold)",
            f"  quotes     P {f['quotes_p']:.3f}  R {f['quotes_r']:.3f}  F1 {f['quotes_f1']:.3f}"
            f"  ({report.quotes.tp + report.quotes.fn} in gold)",
            f"  speakers   {f['speakers']:.3f} of {report.speakers.total} quotes found"
            f"  (unknown speakers named: {report.new_speakers.right}/{report.new_speakers.total})",
            f"  dates      P {f['dates_p']:.3f}  R {f['dates_r']:.3f}  F1 {f['dates_f1']:.3f}"
            f"  ({report.dates.tp + report.dates.fn} in gold); value right {f['date_values']:.3f}",
        ]
    )


def format_errors(report: Report) -> str:
    lines = []
    for label, errors in (
        ("names", report.names.errors),
        ("quotes", report.quotes.errors),
        ("speakers", report.speakers.errors),
        ("unknown speakers", report.new_speakers.errors),
        ("dates", report.dates.errors),
        ("date values", report.date_values.errors),
    ):
        if errors:
            lines.append(f"-- {label} ({len(errors)})")
            lines.extend(f"   {e}" for e in errors)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default=None, help="Only this part.")
    parser.add_argument("--errors", action="store_true", help="List every error.")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "diplomacy.test_settings"
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    reports = evaluate()
    for split in [args.split] if args.split else ["dev", "heldout", "all"]:
        print(format_report(split, reports[split]))
        if args.errors:
            print(format_errors(reports[split]))


if __name__ == "__main__":
    main()

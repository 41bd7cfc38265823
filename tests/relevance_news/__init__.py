"""The real-news relevance set (README.md): load its reports and records, list its judged queries.

`load()` writes the people and the reports into the current database the way
an editor would (`import_records`, then `import_articles` for each report)
and returns {report name: article id}; `queries()` lists the judged queries.
"""

import io
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
REALNEWS = HERE.parent / "realnews"


def report_files():
    return sorted([*REALNEWS.glob("*.jsonl"), *(HERE / "reports").glob("*.jsonl")])


def queries(split=None):
    found = json.loads((HERE / "queries.json").read_text(encoding="utf-8"))["queries"]
    return [q for q in found if split in (None, "all", q["split"])]


def load():
    from django.core.management import call_command

    for records in (REALNEWS / "records.json", HERE / "records.json"):
        call_command("import_records", str(records), stdout=io.StringIO())
    ids = {}
    for path in report_files():
        out = io.StringIO()
        call_command("import_articles", str(path), "--json", stdout=out)
        [result] = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
        ids[path.stem] = result["ids"][0]
    return ids

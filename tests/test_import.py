"""import_articles: every good form goes in once; every bad file is named, with nothing written."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from articles import actions
from articles.management.commands import import_articles
from articles.models import Article, Source
from tests.conftest import SEED_TEXT

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("import_articles", *map(str, args), "--json", stdout=out, stderr=err)
    except CommandError as exc:
        code = exc.returncode
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    return code, results, err.getvalue()


def test_seed_reads_into_thirteen_body_lines_with_its_source():
    code, [result], _ = run(SEED_TEXT)
    assert code == 0 and result["status"] == "created"
    article = Article.objects.get(pk=result["ids"][0])
    assert article.title == "ماذا حمل جون كيري في جعبته للقيادات السورية"
    assert len(article.body.split("\n")) == 13
    assert "مؤتمر صحفي مشترك بين كيري ولافروف" in article.body.split("\n")
    assert "المصدر" not in article.body
    assert article.source.name_ar == "الوقت"
    assert article.status == Article.Status.DRAFT


def test_importing_again_is_unchanged(tmp_path):
    code, [first], _ = run(SEED_TEXT)
    code, [again], _ = run(SEED_TEXT)
    assert again == {"path": str(SEED_TEXT), "status": "unchanged", "ids": first["ids"], "error": None}
    assert Article.objects.count() == 1


def test_bom_and_crlf_give_the_same_article(tmp_path):
    text = SEED_TEXT.read_text(encoding="utf-8")
    variant = tmp_path / "bom-crlf.txt"
    variant.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "  \r\n").encode())
    run(SEED_TEXT)
    code, [result], _ = run(variant)
    assert code == 0 and result["status"] == "unchanged"


def test_published_status_and_source_option(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("عنوان التقرير\nالفقرة الأولى.\n", encoding="utf-8")
    out = StringIO()
    call_command("import_articles", str(report), "--status", "published", "--source", "رويترز", stdout=out)
    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED and article.published_at is not None
    assert article.source == Source.objects.get(name_ar="رويترز")


def test_source_line_with_colon(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("عنوان\nفقرة.\nالمصدر: رويترز\n", encoding="utf-8")
    run(report)
    article = Article.objects.get()
    assert article.body == "فقرة." and article.source.name_ar == "رويترز"


def test_jsonl_and_folders(tmp_path):
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    lines = [
        {
            "title": "أول",
            "body": "نص أول",
            "source": "الجزيرة",
            "published": "2016-03-24",
            "url": "https://a.example/1",
        },
        {"title": "ثان", "body": "نص ثان", "language": "ar", "byline": "مراسل"},
    ]
    (folder / "a.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    (folder / "sub" / "b.txt").write_text("عنوان ثالث\nنص ثالث\n")
    (folder / "ignored.md").write_text("# not a report")
    code, results, _ = run(folder)
    assert code == 0
    assert [r["status"] for r in results] == ["created", "created"]
    assert len(results[0]["ids"]) == 2
    first = Article.objects.get(title="أول")
    assert str(first.published) == "2016-03-24" and first.source.name_ar == "الجزيرة"


BAD_INPUTS = {
    "latin1.txt": ("عنوان\nنص".encode("cp1256"), "not UTF-8"),
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\n \r\n", "empty"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "title-only.txt": ("عنوان وحده\n".encode(), "no body"),
    "source-only.txt": ("المصدر / الوقت\n".encode(), "no title"),
    "broken.jsonl": (b'{"title": "\xd8\xa3", "body": "x"}\n{"title": broken\n', "line 2: malformed JSON"),
    "notitle.jsonl": ('{"body": "نص"}\n'.encode(), "line 1: no title"),
    "nobody.jsonl": ('{"title": "عنوان", "body": "  "}\n'.encode(), "line 1: no body"),
    "baddate.jsonl": ('{"title": "ع", "body": "ن", "published": "2016-02-30"}\n'.encode(), "not a date"),
    "array.jsonl": (b"[1, 2]\n", "expected a JSON object"),
    "typo.jsonl": ('{"titel": "ع", "body": "ن"}\n'.encode(), "unknown field(s) titel"),
    "report.pdf": (b"%PDF-1.4", "unsupported file type"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_named_and_nothing_is_written(tmp_path, name):
    data, message = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    code, [result], _ = run(path)
    assert code == 1
    assert result["status"] == "error" and result["ids"] == []
    assert str(path) in result["error"] and message in result["error"]
    assert Article.objects.count() == 0 and Source.objects.count() == 0


def test_oversized_file_is_refused(tmp_path, settings):
    settings.ARTICLE_IMPORT_MAX_BYTES = 100
    path = tmp_path / "big.txt"
    path.write_text("عنوان\n" + "نص " * 100)
    code, [result], _ = run(path)
    assert code == 1 and "over the limit of 100 bytes" in result["error"]


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.jsonl"
    good.write_text("عنوان\nنص\n")
    bad.write_text('{"title": "أ", "body": "ب", "source": "مصدر جديد"}\n{oops}\n')
    code, results, _ = run(bad, good, tmp_path / "missing.txt")
    assert code == 1
    assert [r["status"] for r in results] == ["error", "created", "error"]
    assert "no such file" in results[2]["error"]
    assert Article.objects.count() == 1
    assert not Source.objects.filter(name_ar="مصدر جديد").exists()


def test_wrong_usage_exits_with_two(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "import_articles", str(SEED_TEXT), "--status", "bogus"],
        capture_output=True,
        text=True,
        cwd=SEED_TEXT.parents[2],
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite://:memory:"},
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_progress_is_shown_on_stderr_for_batches(tmp_path, capfd):
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(f"عنوان {n}\nنص {n}\n")
    call_command("import_articles", str(tmp_path), stdout=StringIO())
    err = capfd.readouterr().err
    assert "[1/3]" in err and "[3/3]" in err


def test_a_long_file_reports_its_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(import_articles, "PROGRESS_FROM", 3)
    monkeypatch.setattr(actions, "BATCH", 2)
    lines = [{"title": f"تقرير {n}", "body": f"نص التقرير رقم {n}", "source": "الجزيرة"} for n in range(5)]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    err = StringIO()
    call_command("import_articles", str(path), stdout=StringIO(), stderr=err)
    progress = [line for line in err.getvalue().splitlines() if "reports (" in line]
    assert [line.split(": ")[1].split(" ")[0] for line in progress] == ["2/5", "4/5", "5/5"]
    assert Article.objects.count() == 5


# A long file, a batch at a time (issue 14) ---------------------------------------------------------


def write_jsonl(path, reports):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports), encoding="utf-8")
    return path


def distinct(n, start=0, source="الجزيرة"):
    """N reports that are not copies of one another (each its own words)."""
    return [
        {
            "title": f"تقرير رقم {i}",
            "body": " ".join(f"كلمة{i}x{j}" for j in range(12)) + f"\nفقرة ثانية للتقرير {i}",
            "source": source,
        }
        for i in range(start, start + n)
    ]


def import_counting(path, *args):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        code, [result], err = run(path, "--status", "published", *args)
    assert code == 0, result
    return len(queries), result


def test_queries_a_batch_not_a_report(tmp_path, monkeypatch):
    """The queries of an import grow with its batches, not its reports: 12 reports in batches of 4 cost as many
    queries as 24 in batches of 8; each batch costs the same whatever its size."""
    counts = {}
    run(write_jsonl(tmp_path / "first.jsonl", distinct(1, start=-1)))  # the source, created once
    for batch, n in ((4, 12), (8, 24), (4, 24)):
        monkeypatch.setattr(actions, "BATCH", batch)
        path = write_jsonl(tmp_path / f"{batch}-{n}.jsonl", distinct(n, start=1000 * batch + n))
        counts[(batch, n)], result = import_counting(path)
        assert result["status"] == "created" and len(result["ids"]) == n
    assert counts[(4, 12)] == counts[(8, 24)]  # three batches each: twice the reports, the same queries
    per_batch = (counts[(4, 24)] - counts[(4, 12)]) / 3  # three batches more
    # 0.75 a report in batches of 24, 0.018 in the default batches of 1000 (SQLite's index is two statements)
    assert per_batch == (17 if connection.vendor == "postgresql" else 18)
    assert counts[(4, 12)] - 3 * per_batch <= 14  # the file's own: the source, the transaction, the generation


def test_a_reimport_across_batches_is_unchanged(tmp_path, monkeypatch):
    monkeypatch.setattr(actions, "BATCH", 3)
    path = write_jsonl(tmp_path / "r.jsonl", distinct(7))
    code, [first], _ = run(path)
    code, [again], _ = run(path)
    assert again["status"] == "unchanged" and again["ids"] == first["ids"]
    assert Article.objects.count() == 7
    for article in Article.objects.all():
        [row] = article.history.all()
        assert row.history_type == "+" and row.body == article.body


def test_a_file_repeating_itself_within_and_across_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(actions, "BATCH", 3)
    reports = distinct(4)
    path = write_jsonl(tmp_path / "r.jsonl", [reports[0], reports[1], reports[0], reports[2], reports[3], reports[1]])
    code, [result], _ = run(path)
    ids = result["ids"]
    assert code == 0 and ids[2] == ids[0] and ids[5] == ids[1] and len(set(ids)) == 4
    assert Article.objects.count() == 4


@pytest.mark.parametrize("batch", [2, 10])
def test_a_new_version_later_in_the_file_is_named_with_its_line(tmp_path, monkeypatch, batch):
    monkeypatch.setattr(actions, "BATCH", batch)
    reports = distinct(5)
    changed = {**reports[1], "body": reports[1]["body"] + "\nتصحيح."}
    path = write_jsonl(tmp_path / "r.jsonl", [*reports, changed])
    code, [result], _ = run(path)
    assert code == 1 and "(line 6): probably a new version of report" in result["error"]
    assert Article.objects.count() == 0  # the batches already written went with the error
    code, [result], _ = run(path, "--as-new")
    assert code == 0 and len(set(result["ids"])) == 6


@pytest.mark.parametrize("batch", [1, 10])
def test_copy_notices_within_and_across_batches(tmp_path, monkeypatch, batch):
    """A wire copy is told as the copy of the report before it, whether or not they are written together."""
    monkeypatch.setattr(actions, "BATCH", batch)
    [first, other] = distinct(2)
    first["body"] += "\n" + " ".join(f"كلمة{n}" for n in range(60))
    copy = {**first, "title": first["title"] + " (نقلا)", "source": "رويترز", "body": first["body"] + "\nنقلا."}
    path = write_jsonl(tmp_path / "r.jsonl", [first, other, copy])
    code, [result], _ = run(path, "--status", "published")
    assert code == 0
    [notice] = result["warnings"]
    assert notice.startswith("this text is ") and notice.endswith(
        f"the same as report {result['ids'][0]} from another outlet"
    )
    original, copied = Article.objects.get(pk=result["ids"][0]), Article.objects.get(pk=result["ids"][2])
    assert original.copy_group == copied.copy_group == original.pk


def test_a_bad_line_in_the_last_batch_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(actions, "BATCH", 2)
    path = tmp_path / "r.jsonl"
    write_jsonl(path, distinct(5, source="مصدر جديد"))
    with path.open("a", encoding="utf-8") as out:
        out.write('{"title": "عنوان", "body": "نص", "published": "2016-13-01"}\n')
    code, [result], _ = run(path)
    assert code == 1 and "line 6: published '2016-13-01' is not a date" in result["error"]
    assert Article.objects.count() == 0 and not Source.objects.filter(name_ar="مصدر جديد").exists()


def test_a_local_jsonl_file_is_streamed_past_the_upload_limit(tmp_path, settings, monkeypatch):
    """A file on disk is read a line at a time: over ARTICLE_IMPORT_MAX_BYTES whole, each line under it."""
    monkeypatch.setattr(actions, "BATCH", 4)
    settings.ARTICLE_IMPORT_MAX_BYTES = 1000
    path = write_jsonl(tmp_path / "big.jsonl", distinct(10))
    assert path.stat().st_size > 2000
    code, [result], _ = run(path)
    assert code == 0 and len(result["ids"]) == 10
    by_id = {a.pk: a for a in Article.objects.all()}
    assert [by_id[pk].body for pk in result["ids"]] == [r["body"] for r in distinct(10)]  # as printed
    from articles.search import search

    for n in (0, 5, 9):  # each batch's reports are in the search index
        assert list(search(Article.objects.all(), f"كلمة{n}x3").values_list("pk", flat=True)) == [result["ids"][n]]


def test_a_line_over_the_limit_is_named(tmp_path, settings):
    settings.ARTICLE_IMPORT_MAX_BYTES = 1000
    path = write_jsonl(tmp_path / "big.jsonl", [*distinct(2), {"title": "طويل", "body": "نص " * 400}])
    code, [result], _ = run(path)
    assert code == 1 and "line 3 is" in result["error"] and "over the limit of 1,000 bytes" in result["error"]
    assert Article.objects.count() == 0


def test_an_upload_is_still_bound_by_the_limit(tmp_path, settings):
    from articles import workflow

    settings.ARTICLE_IMPORT_MAX_BYTES = 1000
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in distinct(10)).encode()
    result = actions.import_file("upload.jsonl", data=data, user=workflow.COMMAND)
    assert result.status == "error" and "over the limit of 1,000 bytes" in result.error
    assert Article.objects.count() == 0


def test_a_streamed_file_reads_lines_as_a_whole_file_would(tmp_path):
    """Line numbers and line ends as `parse_bytes` reads them: a byte-order mark, CRLF, a lone CR."""
    from articles.importing import JsonLinesFile, parse_bytes

    reports = [json.dumps(r, ensure_ascii=False) for r in distinct(3)]
    data = b"\xef\xbb\xbf" + f"{reports[0]}\r\n\r\n{reports[1]}\r{reports[2]}".encode()
    path = tmp_path / "r.jsonl"
    path.write_bytes(data)
    assert list(JsonLinesFile(path)) == parse_bytes("r.jsonl", data)
    path.write_bytes(data + b"\n{oops\n")
    with pytest.raises(Exception, match="line 5: malformed JSON"):
        JsonLinesFile(path)
    with pytest.raises(Exception, match="line 5: malformed JSON"):
        parse_bytes("r.jsonl", data + b"\n{oops\n")


def test_a_long_file_sums_up_its_ids_on_the_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(import_articles, "SHOWN_IDS", 3)
    path = write_jsonl(tmp_path / "r.jsonl", distinct(5))
    out = StringIO()
    call_command("import_articles", str(path), stdout=out, stderr=StringIO())
    ids = sorted(Article.objects.values_list("pk", flat=True))
    assert out.getvalue().strip() == f"{path}: created (5 reports, ids {ids[0]} to {ids[-1]})"

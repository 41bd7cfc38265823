"""import_articles: every good form goes in once; every bad file is named, with nothing written."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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

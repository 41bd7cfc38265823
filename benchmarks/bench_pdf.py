"""Benchmark: ways to set a report as PDF, compared on fidelity, speed and install cost (issue 17
item 9; the choice is written up in README.md, docs/charts.md and docs/conformance.md).

    .venv/bin/python benchmarks/bench_pdf.py [--repeat N] [--realnews]

Each engine sets the seed report's title and body (articles/demo/kerry-moscow-2016.txt) in DejaVu
Sans, the font the charts use:

- reportlab, the archive's former path: each line shaped to presentation forms and put in visual
  order by `articles.arabic.shaping` (`wrap` + `shape`), then drawn glyph by glyph;
- WeasyPrint alone: HTML shaped by HarfBuzz through Pango;
- WeasyPrint + `articles.charts.pdftext.extractable`, the path `articles/charts/pdf.py` takes: the
  same PDF with each line drawn in the order pypdf reads as printed, its ligatures and Arabic marks
  in one-letter /ActualText spans for poppler, and a right-to-left mark for poppler after digits
  and Latin inside Arabic (from what WeasyPrint knew of each line while drawing it, `drawn_lines`);
- Typst (the `typst` wheel from PyPI, which ships the compiler).

Fidelity: of the body's words (as printed, punctuation around them removed), how many are found in
the text pypdf and poppler's pdftotext extract; how many extracted Arabic letters are presentation
forms (U+FB50–U+FDFF, U+FE70–U+FEFF); how many of the body's diacritics come back. Speed: the median
of N runs. Install cost: the size on disk of each engine's Python packages (system libraries noted
by hand in the write-up). A second table sets the seed with WeasyPrint in each Arabic font found on
the machine (Debian's fonts-noto-core, fonts-hosny-amiri, fonts-sil-scheherazade if installed),
before and after `extractable`. `--realnews` adds the 42 real reports of tests/realnews, summed.
Needs reportlab and typst importable (they are not project dependencies), e.g.
`.venv/bin/pip install --target /tmp/extra reportlab==5.1.0 typst==0.15.0` and `PYTHONPATH=/tmp/extra`.
"""

import argparse
import html
import importlib.metadata
import io
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from articles.arabic.shaping import font_path, shape, wrap  # noqa: E402
from articles.charts.pdftext import drawn_lines, extractable  # noqa: E402

SEED = ROOT / "articles" / "demo" / "kerry-moscow-2016.txt"
REALNEWS = ROOT / "tests" / "realnews"
# Arabic fonts a Debian machine may have (package in brackets), beside matplotlib's DejaVu Sans.
FONTS = {
    "DejaVu Sans (matplotlib's wheel)": font_path(),
    "Noto Naskh Arabic (fonts-noto-core)": Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"),
    "Noto Sans Arabic (fonts-noto-core)": Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf"),
    "Amiri (fonts-hosny-amiri)": Path("/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"),
    "Scheherazade (fonts-sil-scheherazade)": Path("/usr/share/fonts/truetype/scheherazade/Scheherazade-Regular.ttf"),
}
PUNCTUATION = "،؛؟.,:;!?“”«»\"'()[]-–—…"
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")
DIACRITICS = re.compile("[\u064b-\u0652]")
PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def seed():
    lines = SEED.read_text(encoding="utf-8-sig").strip().split("\n")
    return lines[0], "\n".join(lines[1:-1])


def with_reportlab(title, body):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "ArchiveSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("ArchiveSans", str(font_path())))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    y = height - 56
    for text, size in [(title, 18)] + [(p, 11.5) for p in body.split("\n")]:
        for start, end in wrap(text, width - 112, lambda s, z=size: pdfmetrics.stringWidth(s, "ArchiveSans", z)):
            y -= size * 1.65
            if y < 56:
                c.showPage()
                y = height - 56 - size * 1.65
            c.setFont("ArchiveSans", size)
            c.drawRightString(width - 56, y, shape(text[start:end], base_dir="R"))
    c.save()
    return out.getvalue()


def with_weasyprint(title, body, font=None):
    import weasyprint

    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n"))
    page = (
        f'<html lang="ar" dir="rtl"><head><title>{html.escape(title)}</title><style>'
        f'@font-face {{ font-family: S; src: url("{(font or font_path()).as_uri()}"); }}'
        "@page { size: A4; margin: 56pt } html { font: 11.5pt/1.65 S }</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{paragraphs}</body></html>"
    )
    return weasyprint.HTML(string=page).write_pdf(pdf_tags=True)


def with_weasyprint_extractable(title, body, font=None):
    with drawn_lines() as lines:  # each glyph's characters in reading order, as WeasyPrint draws them
        pdf = with_weasyprint(title, body, font)
    return extractable(pdf, lines)


def with_typst(title, body):
    import typst

    def escape(text):
        return re.sub(r"([\\#*_`$<>@\[\]=\-+/~\"])", r"\\\1", text)

    source = '#set page(paper: "a4", margin: 56pt)\n#set text(lang: "ar", font: "DejaVu Sans", size: 11.5pt)\n'
    source += f"= {escape(title)}\n\n" + "\n\n".join(escape(p) for p in body.split("\n"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.typ"
        path.write_text(source, encoding="utf-8")
        return typst.compile(str(path), font_paths=[str(font_path().parent)])


def body_words(body):
    """The words as printed: punctuation around them and undrawn format characters (a stray RLM) removed."""
    words = ("".join(ch for ch in w.strip(PUNCTUATION) if unicodedata.category(ch) != "Cf") for w in body.split())
    return [w for w in words if w]


def fidelity(pdf, body):
    words = body_words(body)
    extracted = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        poppler = subprocess.run(["pdftotext", "-enc", "UTF-8", file.name, "-"], capture_output=True).stdout
    poppler = BIDI_CONTROLS.sub("", poppler.decode())
    letters = re.findall("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]", extracted)
    return {
        "words": len(words),
        "pypdf": sum(w in extracted for w in words),
        "pdftotext": sum(w in poppler for w in words),
        "forms": len(PRESENTATION.findall(extracted)) / max(1, len(letters)),
        "diacritics": (len(DIACRITICS.findall(extracted)), len(DIACRITICS.findall(body))),
    }


def installed_size(*distributions):
    total = 0
    for name in distributions:
        for file in importlib.metadata.distribution(name).files or []:
            path = Path(file.locate())
            if path.is_file():
                total += path.stat().st_size
    return total / 2**20


ENGINES = {
    "reportlab + arabic-reshaper + python-bidi": (
        with_reportlab,
        ("reportlab", "arabic-reshaper", "python-bidi"),
    ),
    "WeasyPrint (Pango, HarfBuzz) alone": (
        with_weasyprint,
        ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "pyphen", "cffi", "fonttools"),
    ),
    "WeasyPrint + pdftext.extractable (pypdf)": (
        with_weasyprint_extractable,
        ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "pyphen", "cffi", "fonttools", "pypdf"),
    ),
    "Typst": (with_typst, ("typst",)),
}


def realnews():
    for path in sorted(REALNEWS.glob("*.jsonl")):
        record = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
        yield record["title"], record["body"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--realnews", action="store_true", help="also sum fidelity over tests/realnews")
    args = parser.parse_args()
    title, body = seed()
    print(f"seed report: {len(body.split())} words, {len(DIACRITICS.findall(body))} diacritics\n")
    print(
        "| engine | body words found (pypdf) | (pdftotext) | presentation forms | diacritics back "
        "| median ms | PDF KiB | Python packages MiB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, (build, packages) in ENGINES.items():
        pdf = build(title, body)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            build(title, body)
            times.append(time.perf_counter() - start)
        f = fidelity(pdf, body)
        print(
            f"| {name} | {f['pypdf']}/{f['words']} | {f['pdftotext']}/{f['words']} | {f['forms']:.0%} | "
            f"{f['diacritics'][0]}/{f['diacritics'][1]} | {statistics.median(times) * 1000:.0f} | "
            f"{len(pdf) / 1024:.0f} | {installed_size(*packages):.1f} |"
        )

    print("\nWeasyPrint in each Arabic font found here, the seed's body words (before / after extractable):\n")
    print("| font | pypdf | pdftotext | pypdf after | pdftotext after |")
    print("| --- | --- | --- | --- | --- |")
    for name, path in FONTS.items():
        if not path.exists():
            print(f"| {name} | not installed | | | |")
            continue
        before, after = (
            fidelity(with_weasyprint(title, body, path), body),
            fidelity(with_weasyprint_extractable(title, body, path), body),
        )
        n = before["words"]
        print(
            f"| {name} | {before['pypdf']}/{n} | {before['pdftotext']}/{n} "
            f"| {after['pypdf']}/{n} | {after['pdftotext']}/{n} |"
        )

    if args.realnews:
        reports = list(realnews())
        print(f"\nThe {len(reports)} real reports of tests/realnews, body words found, summed:\n")
        print("| engine | words | pypdf | pdftotext |")
        print("| --- | --- | --- | --- |")
        for name, (build, _) in ENGINES.items():
            if build is with_reportlab:
                continue
            totals = [0, 0, 0]
            for report_title, report_body in reports:
                f = fidelity(build(report_title, report_body), report_body)
                totals[0] += f["words"]
                totals[1] += f["pypdf"]
                totals[2] += f["pdftotext"]
            print(f"| {name} | {totals[0]} | {totals[1]} | {totals[2]} |")


if __name__ == "__main__":
    main()

"""The API against a running archive with the real tools: `schemathesis run --checks all`, anonymously
and with an editor's token, and Redocly's linter over the schema it serves; and the report PDFs it
serves through pypdf and poppler's pdftotext: every body word found as printed (issue 17).

    DEBUG=1 API_ANON_THROTTLE_RATE= .venv/bin/python manage.py runserver 127.0.0.1:8000   # elsewhere
    .venv/bin/python benchmarks/conformance.py --url http://127.0.0.1:8000 --token KEY [--examples N]

The token is an editor's (`POST /api/v1/auth/token/`). Throttling must be off for the run
(schemathesis sends a few hundred requests a minute). schemathesis reads the project's
`schemathesis.toml`, Redocly its `redocly.yaml`; both need zero failures. The test suite runs the
same checks in-process (tests/test_api_schema.py, tests/test_api_conformance.py, tests/test_pdf.py);
this is the end-to-end version, through a real server and the tools' own command lines. The PDF
check takes every published report the API lists (`--pdfs N` caps it; a demo database has the seed).
"""

import argparse
import io
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import urllib.request
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def schemathesis(url, examples, headers=()):
    command = [str(SCHEMATHESIS), "--config-file", str(ROOT / "schemathesis.toml"), "run"]
    command += [f"{url}/api/v1/schema/?format=json", "--url", url, "--checks", "all", "--no-color"]
    command += ["--max-examples", str(examples), "--phases", "examples,fuzzing", "--seed", "17"]
    for header in headers:
        command += ["-H", header]
    result = subprocess.run(command, capture_output=True, text=True)
    lines = result.stdout.splitlines()
    summary = [line for line in lines if line.startswith("=") or "generated" in line]
    if result.returncode:  # the failures, with the request that reproduces each
        start = next((i for i, line in enumerate(lines) if "FAILURES" in line), len(lines))
        end = next((i for i, line in enumerate(lines) if "WARNINGS" in line or "SUMMARY" in line), len(lines))
        summary += lines[start:end]
    return result.returncode, summary


def redocly(url):
    with tempfile.NamedTemporaryFile("wb", suffix=".json") as file:
        file.write(urllib.request.urlopen(f"{url}/api/v1/schema/?format=json").read())
        file.flush()
        command = ["npx", "--no-install", "redocly", "lint", file.name, "--config", str(ROOT / "redocly.yaml")]
        result = subprocess.run([*command, "--format=json"], capture_output=True, text=True, cwd=ROOT)
    problems = json.loads(result.stdout)["problems"]
    return result.returncode, problems


PUNCTUATION = "،؛؟.,:;!?“”«»\"'()[]-–—…"
# pdftotext wraps right-to-left runs in bidi embedding controls: its markup, not the text.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def body_words(body):
    """The body's words as printed: punctuation around them and undrawn format characters removed."""
    words = ("".join(ch for ch in w.strip(PUNCTUATION) if unicodedata.category(ch) != "Cf") for w in body.split())
    return [w for w in words if w]


def get_json(url):
    return json.loads(urllib.request.urlopen(url).read())


def pdf_text(url, limit):
    """Each published report's PDF through pypdf and pdftotext: `[(id, words, missing pypdf, missing pdftotext)]`."""
    results, page = [], f"{url}/api/v1/articles/?page_size=50&ordering=id"
    while page and (limit is None or len(results) < limit):
        listing = get_json(page)
        for item in listing["results"]:
            if limit is not None and len(results) >= limit:
                break
            body = get_json(f"{url}/api/v1/articles/{item['id']}/")["body"]
            pdf = urllib.request.urlopen(f"{url}/articles/{item['id']}/pdf/").read()
            pypdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
            with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
                file.write(pdf)
                file.flush()
                poppler = subprocess.run(
                    ["pdftotext", "-enc", "UTF-8", file.name, "-"], capture_output=True, check=True
                )
            poppler = BIDI_CONTROLS.sub("", poppler.stdout.decode())
            words = body_words(body)
            results.append(
                (item["id"], len(words), [w for w in words if w not in pypdf], [w for w in words if w not in poppler])
            )
        page = listing.get("next")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True, help="an editor's API token")
    parser.add_argument("--examples", type=int, default=10, help="generated requests an operation")
    parser.add_argument("--pdfs", type=int, default=None, help="check at most this many report PDFs")
    args = parser.parse_args()
    failed = False
    for who, headers in (("anonymous", ()), ("editor", (f"Authorization: Token {args.token}",))):
        code, summary = schemathesis(args.url.rstrip("/"), args.examples, headers)
        print(f"schemathesis --checks all, {who}: exit {code}")
        print("  " + "\n  ".join(summary))
        failed |= code != 0
    code, problems = redocly(args.url.rstrip("/"))
    print(f"redocly lint (recommended, redocly.yaml): exit {code}, {len(problems)} problems")
    for problem in problems:
        print(f"  {problem['severity']} {problem['ruleId']} {problem['location'][0]['pointer']}")
    failed |= code != 0 or bool(problems)
    reports = pdf_text(args.url.rstrip("/"), args.pdfs)
    words = sum(r[1] for r in reports)
    missing = [r for r in reports if r[2] or r[3]]
    print(
        f"report PDFs, every body word as printed: {len(reports)} reports, {words} words; "
        f"missing with pypdf {sum(len(r[2]) for r in reports)}, with pdftotext {sum(len(r[3]) for r in reports)}"
    )
    for report, _, by_pypdf, by_poppler in missing:
        print(f"  report {report}: pypdf {by_pypdf[:10]} pdftotext {by_poppler[:10]}")
    failed |= not reports or bool(missing)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

"""The API against a running archive with the real tools: `schemathesis run --checks all`, anonymously
and with an editor's token, and Redocly's linter over the schema it serves (issue 17).

    DEBUG=1 API_ANON_THROTTLE_RATE= .venv/bin/python manage.py runserver 127.0.0.1:8000   # elsewhere
    .venv/bin/python benchmarks/conformance.py --url http://127.0.0.1:8000 --token KEY [--examples N]

The token is an editor's (`POST /api/v1/auth/token/`). Throttling must be off for the run
(schemathesis sends a few hundred requests a minute). schemathesis reads the project's
`schemathesis.toml`, Redocly its `redocly.yaml`; both need zero failures. The test suite runs the
same checks in-process (tests/test_api_schema.py, tests/test_api_conformance.py); this is the
end-to-end version, through a real server and the tools' own command lines.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True, help="an editor's API token")
    parser.add_argument("--examples", type=int, default=10, help="generated requests an operation")
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
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

"""Load test of the production server: wrk against gunicorn on 127.0.0.1 (docs/performance.md).

Runs a matrix of cells, each `--seconds` long after a short warm-up, with a mix of public list,
search, report-page and API requests drawn from a URL file (see `urls()`): web workers 1, 2
and 4, 16 and 64 connections, without and with a streaming read replica, and while a
background import of `--import-reports` reports runs on a Celery worker. Each figure is printed
with the machine's load average next to it. Needs `wrk` (apt-get install wrk), a PostgreSQL
database already filled by `manage.py generate_corpus` (then VACUUM ANALYZE), Redis, and for
the import cells RabbitMQ. Nothing outside 127.0.0.1 is contacted.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale_bench \\
        .venv/bin/python benchmarks/bench_serving.py --seconds 10 --out /tmp/serving.md
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from kombu import Connection

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = 8411
SEARCHES = ["لافروف", "ثانوج", '"دير الورد"', "الخارجية", "Lavrov", "إدلب OR حلب -روسيا"]
RARE_SEARCHES = ["ثانوج", '"دير الورد"', "ظريف بوغدانوف الدستور"]
PEOPLE = ["gen-lavrov", "gen-kerry", "gen-assad", "gen-zarif", "gen-mistura"]


def psql(database_url, sql):
    return subprocess.run(
        ["psql", database_url, "-AtF", " ", "-c", sql], check=True, capture_output=True, text=True
    ).stdout.split()


MIXES = {
    # what readers mostly ask for: report pages, the API, filtered lists and selective searches
    "pages": {"report": 45, "filtered": 10, "rare_search": 10, "api_list": 15, "api_detail": 20},
    # everything, the unfiltered list pages and common-word searches (facets over every report) included
    "full": {"report": 35, "list": 20, "filtered": 10, "search": 15, "api_list": 10, "api_detail": 10},
}


def urls(database_url, path, mix="pages", n=2000, seed=1):
    """The request mix (`MIXES`), as a file of paths, each drawn in proportion to its weight."""
    rng = random.Random(seed)
    low, high = map(int, psql(database_url, "SELECT min(id), max(id) FROM articles_article WHERE status='published'"))
    kinds = {
        "report": lambda: f"/articles/{rng.randint(low, high)}/",
        "list": lambda: f"/articles/?page={rng.randint(1, 50)}",
        "filtered": lambda: f"/articles/?participant={rng.choice(PEOPLE)}&page={rng.randint(1, 5)}",
        "search": lambda: "/search/?q=" + urllib.parse.quote(rng.choice(SEARCHES)),
        "rare_search": lambda: "/search/?q=" + urllib.parse.quote(rng.choice(RARE_SEARCHES)),
        "api_list": lambda: f"/api/v1/articles/?page_size=20&participant={rng.choice(PEOPLE)}",
        "api_detail": lambda: f"/api/v1/articles/{rng.randint(low, high)}/",
    }
    names = list(MIXES[mix])
    lines = [kinds[rng.choices(names, [MIXES[mix][k] for k in names])[0]]() for _ in range(n)]
    Path(path).write_text("\n".join(lines) + "\n")
    return path


def loadavg():
    return float(Path("/proc/loadavg").read_text().split()[0])


def wait_http(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=30).read()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {timeout} s")


def serve(env, workers):
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "diplomacy.wsgi:application", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "WEB_CONCURRENCY": str(workers)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_http(f"http://127.0.0.1:{PORT}/api/v1/articles/1/")
    return process


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wrk(url_file, connections, seconds):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency",
         "-s", str(ROOT / "benchmarks" / "serving" / "mix.lua"), f"http://127.0.0.1:{PORT}"],
        env={**os.environ, "WRK_URLS": str(url_file)}, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return parse(out)


def _ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse(out):
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": _ms(latency["50"]),
        "p99": _ms(latency["99"]),
        "non2xx": int(errors.group(1)) if errors else 0,
        "timeouts": int(timeouts.group(1)) if timeouts else 0,
    }


def start_standby(database_url):
    """A hot standby of the whole local cluster (pg_basebackup) on port 5433; returns its URL."""
    folder = Path(tempfile.mkdtemp(prefix="bench-standby-"))  # its own, for the postgres user
    major = int(psql(database_url, "SHOW server_version_num")[0]) // 10000
    binaries = Path(f"/usr/lib/postgresql/{major}/bin")
    data = folder / "data"
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(
        [*as_postgres, str(binaries / "pg_basebackup"), "-h", "127.0.0.1", "-U", "postgres", "-D", str(data),
         "-X", "stream", "-R", "-c", "fast", "--no-sync"], check=True,
    )  # fmt: skip
    (data / "postgresql.conf").write_text(
        f"port = 5433\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{folder}'\nhot_standby = on\n"
    )
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    for name in ("postgresql.conf", "pg_hba.conf"):
        if os.geteuid() == 0:
            shutil.chown(data / name, "postgres", "postgres")
    subprocess.run([*as_postgres, str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "start"],
                   check=True, capture_output=True)  # fmt: skip
    url = urllib.parse.urlparse(database_url)
    return url._replace(netloc=f"{url.username or 'postgres'}@127.0.0.1:5433").geturl(), (as_postgres, binaries, folder)


def stop_standby(handle):
    as_postgres, binaries, folder = handle
    subprocess.run(
        [*as_postgres, str(binaries / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop"], capture_output=True
    )
    shutil.rmtree(folder, ignore_errors=True)


def write_import(folder, reports, per_file=500):
    run = int(time.time())
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(0, reports, per_file):
        lines = [
            json.dumps({"title": f"تقرير تحميل {run}-{n}", "body": f"نص تقرير التحميل {n} في الدفعة {run}، "
                        "وأكد وزير الخارجية أن المحادثات تناولت الأزمة السورية.", "published": "2016-03-24"},
                       ensure_ascii=False)
            for n in range(f, min(f + per_file, reports))
        ]  # fmt: skip
        (folder / f"batch-{f // per_file:03}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--mix", choices=sorted(MIXES), default="pages")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument(
        "--setups", nargs="+", choices=["primary", "replica", "import"], default=["primary", "replica", "import"]
    )
    parser.add_argument("--import-workers", type=int, default=2, help="web workers during the import cells")
    parser.add_argument("--import-reports", type=int, default=10000, help="0: no import cells")
    parser.add_argument("--out", default=None, help="append the table (markdown) to this file")
    args = parser.parse_args()
    database_url = os.environ["DATABASE_URL"]
    if "bench" not in database_url:
        raise SystemExit("Use a database of its own, whose name contains 'bench'.")
    env = {
        **os.environ,
        "SECRET_KEY": "bench-only-secret-key-0123456789-0123456789-abcdefghijkl",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9"),
        "API_ANON_THROTTLE_RATE": "",  # one client address: the throttle would answer 429
        "PORT": str(PORT),
        "LOG_LEVEL": "ERROR",
        "DEBUG": "0",
    }
    env.pop("DATABASE_REPLICA_URLS", None)
    work = Path(tempfile.mkdtemp(prefix="bench-serving-"))
    url_file = urls(database_url, work / "urls.txt", args.mix)
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    rows = []

    def cell(label, workers, extra_env=None):
        server = serve({**env, **(extra_env or {})}, workers)
        try:
            wrk(url_file, 8, 3)  # warm-up: caches, connections, the toolkit
            # sync workers finish what the warm-up left queued; this answers once they have
            wait_http(f"http://127.0.0.1:{PORT}/api/v1/articles/1/", timeout=120)
            for connections in args.connections:
                before = loadavg()
                result = wrk(url_file, connections, args.seconds)
                row = {"setup": label, "mix": args.mix, "workers": workers, "connections": connections, **result,
                       "load": f"{before:.1f}–{loadavg():.1f}"}  # fmt: skip
                wait_http(f"http://127.0.0.1:{PORT}/api/v1/articles/1/", timeout=120)  # what wrk left queued
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
        finally:
            stop(server)

    for workers in args.workers if "primary" in args.setups else ():
        cell("primary only", workers)
    if "replica" in args.setups:
        standby = None
        try:
            replica_url, standby = start_standby(database_url)
            for workers in args.workers:
                cell("primary + 1 replica", workers, {"DATABASE_REPLICA_URLS": replica_url})
        finally:
            if standby:
                stop_standby(standby)
    if "import" in args.setups and args.import_reports:
        folder = write_import(work / "import", args.import_reports)
        broker = {"CELERY_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//", "CELERY_QUEUE": f"bench-{os.getpid()}"}
        worker = subprocess.Popen(
            [PY, "-m", "celery", "-A", "diplomacy", "worker", "--concurrency=1", "-Q", broker["CELERY_QUEUE"],
             "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT, env={**env, **broker}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            queued = subprocess.run(
                [PY, "manage.py", "import_articles", str(folder), "--background", "--status", "published", "--json"],
                cwd=ROOT, env={**env, **broker}, capture_output=True, text=True, check=True,
            )  # fmt: skip
            job = json.loads(queued.stdout)["job"]
            print(f"background import: job {job}", flush=True)
            time.sleep(5)
            cell("during a background import", args.import_workers)
            done = psql(database_url, f"SELECT done, total, extract(epoch FROM now() - started_at) "
                                      f"FROM articles_backgroundjob WHERE id = {job}")  # fmt: skip
            print(f"background import so far: {done[0]}/{done[1]} files in {float(done[2]):.0f} s", flush=True)
        finally:
            stop(worker)
            with Connection(broker["CELERY_BROKER_URL"]) as connection:  # the files not imported yet
                connection.default_channel.queue_delete(broker["CELERY_QUEUE"])
    table = [
        "| mix | setup | web workers | connections | requests/s | p50 ms | p99 ms | requests | errors | load avg |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ] + [
        f"| {r['mix']} | {r['setup']} | {r['workers']} | {r['connections']} | {r['rps']:.1f} | {r['p50']:.0f} "
        f"| {r['p99']:.0f} | {r['requests']} | {r['non2xx'] + r['timeouts']} | {r['load']} |"
        for r in rows
    ]
    print("\n".join(table))
    if args.out:
        with open(args.out, "a") as out:
            out.write("\n".join(table) + "\n")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

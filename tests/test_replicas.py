"""Reads from a real PostgreSQL streaming replica (diplomacy/routers.py).

The fixture copies the test cluster with `pg_basebackup` into a temporary folder and starts it
as a hot standby on a free port (the primary's pg_hba.conf must allow `replication`
connections from 127.0.0.1; `.ci/run` adds the line). Skipped on SQLite.
"""

import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from diplomacy.routers import WROTE_COOKIE, replicas
from tests.factories import make_article

STANDBY = "standby"
pytestmark = [
    pytest.mark.replica,
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, STANDBY]),
]


def _as_postgres(command, **kwargs):
    """Run a PostgreSQL tool as the postgres user when we are root (the server refuses root)."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=45, **kwargs)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    """A hot standby of the test cluster; yields its alias, with its server's folder and port."""
    if connection.vendor != "postgresql":
        pytest.skip("read replicas are PostgreSQL streaming replicas; this run is on SQLite")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    binaries = Path(f"/usr/lib/postgresql/{major}/bin")
    if not (binaries / "pg_basebackup").exists():
        pytest.skip(f"PostgreSQL {major} server binaries are not in {binaries}")
    primary = connection.settings_dict
    folder = Path(tempfile.mkdtemp(prefix="diplomacy-standby-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    environment = {**os.environ, "PGPASSWORD": primary.get("PASSWORD") or ""}
    try:
        _as_postgres(
            [
                str(binaries / "pg_basebackup"),
                f"--host={primary.get('HOST') or '127.0.0.1'}",
                f"--port={primary.get('PORT') or 5432}",
                f"--username={primary.get('USER') or 'postgres'}",
                f"--pgdata={data}",
                "--wal-method=stream",
                "--write-recovery-conf",
                "--checkpoint=fast",
                "--no-sync",
            ],
            env=environment,
        )
    except subprocess.CalledProcessError as error:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(
            f"pg_basebackup failed: {error.stderr.strip()}\n(pg_hba.conf needs "
            "'host replication all 127.0.0.1/32 trust' or a password rule; .ci/run adds it)"
        )
    except subprocess.TimeoutExpired:
        # pg_basebackup copies the whole cluster: a benchmark's database left on the test server makes
        # the copy tens of gigabytes. Leave nothing behind in /tmp.
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(
            "pg_basebackup did not finish in 45 s: the test server's cluster is too large to copy "
            "(drop the benchmark databases on it: SELECT datname, pg_database_size(datname) FROM pg_database)"
        )
    # Debian keeps postgresql.conf and pg_hba.conf outside the data folder: give the copy its own.
    (data / "postgresql.conf").write_text(
        f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{folder}'\n"
        "hot_standby = on\nhot_standby_feedback = on\nfsync = off\nshared_buffers = 32MB\n"
    )
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    for name in ("postgresql.conf", "pg_hba.conf"):
        if os.geteuid() == 0:
            shutil.chown(data / name, "postgres", "postgres")
    pg_ctl = str(binaries / "pg_ctl")
    _as_postgres([pg_ctl, "--pgdata", str(data), "--log", str(folder / "server.log"), "--wait", "start"])
    connections.settings[STANDBY] = {
        **primary,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "TEST": {"MIRROR": DEFAULT_DB_ALIAS},
    }
    connections.settings[STANDBY]["OPTIONS"] = {**primary.get("OPTIONS", {}), "connect_timeout": 2}
    connections.settings[STANDBY]["CONN_HEALTH_CHECKS"] = False
    try:
        yield {"alias": STANDBY, "pg_ctl": pg_ctl, "data": data}
    finally:
        connections[STANDBY].close()
        subprocess.run(
            ["runuser", "-u", "postgres", "--", pg_ctl, "--pgdata", str(data), "--mode=immediate", "stop"]
            if os.geteuid() == 0
            else [pg_ctl, "--pgdata", str(data), "--mode=immediate", "stop"],
            capture_output=True,
            timeout=30,
        )
        del connections.settings[STANDBY]
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def routed(standby, settings):
    settings.DATABASE_REPLICAS = [STANDBY]
    settings.REPLICA_MAX_LAG_SECONDS = 5
    settings.REPLICA_RETRY_SECONDS = 30
    replicas.reset()
    yield standby
    replicas.reset()


@pytest.fixture
def editor(django_user_model):
    # transactional tests empty the database, the editors' group with it: the permission is the user's own
    return django_user_model.objects.create_user(
        "replica-editor", password="pw-editor-1", is_staff=True, is_superuser=True
    )


def caught_up(timeout=20):
    """Wait until the standby has replayed everything the primary has written so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections[STANDBY].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the standby did not catch up in time")


def served(client, url, **extra):
    """The response, and how many queries the primary and the standby each ran for it."""
    with CaptureQueriesContext(connection) as primary, CaptureQueriesContext(connections[STANDBY]) as standby:
        response = client.get(url, **extra)
    return response, len(primary.captured_queries), len(standby.captured_queries)


def test_the_standby_really_is_a_replica(routed):
    with connections[STANDBY].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True


def test_an_anonymous_list_is_served_from_the_replica(routed, client):
    article = make_article(title="تقرير من النسخة المتماثلة")
    caught_up()
    response, on_primary, on_standby = served(client, "/articles/")
    assert response.status_code == 200 and article.title in response.content.decode()
    assert on_standby > 0 and on_primary == 0
    api, on_primary, on_standby = served(client, "/api/v1/articles/")
    assert api.status_code == 200 and api.json()["results"][0]["title"] == article.title
    assert on_standby > 0 and on_primary == 0


def test_an_editors_write_and_next_read_use_the_primary(routed, editor):
    article = make_article(title="قبل التعديل")
    token = Token.objects.create(user=editor)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    caught_up()
    with CaptureQueriesContext(connections[STANDBY]) as standby:
        changed = api.patch(f"/api/v1/articles/{article.pk}/", {"title": "بعد التعديل"}, format="json")
    assert changed.status_code == 200, changed.content
    assert len(standby.captured_queries) == 0
    # read at once, before the standby may have replayed the change: the primary answers
    with CaptureQueriesContext(connection) as primary, CaptureQueriesContext(connections[STANDBY]) as standby:
        again = api.get(f"/api/v1/articles/{article.pk}/")
    assert again.json()["title"] == "بعد التعديل"
    assert len(standby.captured_queries) == 0 and len(primary.captured_queries) > 0


def test_a_client_that_wrote_reads_its_writes_from_the_primary(routed, client, editor):
    make_article()
    caught_up()
    wrote = client.post("/i18n/setlang/", {"language": "ar", "next": "/articles/"})
    assert WROTE_COOKIE in wrote.cookies and wrote.cookies[WROTE_COOKIE]["max-age"] == 10
    _, on_primary, on_standby = served(client, "/articles/")
    assert on_primary > 0 and on_standby == 0
    client.cookies.pop(WROTE_COOKIE)
    client.force_login(editor)  # signed-in editors always read from the primary
    response, on_primary, on_standby = served(client, "/articles/")
    assert response.status_code == 200 and on_primary > 0 and on_standby == 0


def test_a_lagging_replica_is_skipped(routed, client, settings, caplog):
    settings.REPLICA_MAX_LAG_SECONDS = 1
    make_article(title="قبل التوقف")
    caught_up()
    with connections[STANDBY].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        newer = make_article(title="تقرير لم يصل بعد")
        time.sleep(1.5)
        with caplog.at_level(logging.WARNING, logger="diplomacy.replicas"):
            response, on_primary, on_standby = served(client, "/articles/")
        assert response.status_code == 200 and newer.title in response.content.decode()
        assert on_primary > 0 and on_standby == 1  # only the lag check
        assert "behind the primary" in caplog.text
    finally:
        with connections[STANDBY].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


def test_a_stopped_replica_falls_back_to_the_primary(routed, client, caplog):
    article = make_article(title="تقرير بعد توقف النسخة")
    caught_up()
    assert served(client, "/articles/")[2] > 0  # a kept connection to the standby
    _as_postgres([routed["pg_ctl"], "--pgdata", str(routed["data"]), "--mode=fast", "--wait", "stop"])
    with caplog.at_level(logging.WARNING, logger="diplomacy.replicas"):
        for _ in range(3):
            response = client.get("/articles/")
            assert response.status_code == 200 and article.title in response.content.decode()
            api = client.get("/api/v1/articles/")
            assert api.status_code == 200
    warnings = [r for r in caplog.records if r.name == "diplomacy.replicas"]
    assert len(warnings) == 1 and "cannot be reached" in warnings[0].getMessage()

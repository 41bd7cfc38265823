"""The demo, loaded once per test session and replayed into each test that asks for it.

`manage.py load_demo` goes through the whole write path (records, actions, derived data, the
search index, history): about half a second of CPU. Most tests want its result, not its path.
So the session loads it once, inside a transaction it rolls back, and keeps the rows it added
to every table; the `demo` fixture (tests/conftest.py) inserts those rows again in a few
statements inside the test's own transaction. Tests that do not ask for the demo still get
the database exactly as migrations leave it.

What is copied is every row of every table, whatever wrote it: the models' tables, history,
the many-to-many tables, the search index (the `tsvector` rows on PostgreSQL, the FTS5 table on
SQLite, whose own shadow tables FTS5 then fills itself). Rows that `load_demo` changed or
removed (rather than added) could not be replayed this way; capturing refuses then. The demo's
rows have ids above FIRST_ID, so rows a test makes before asking for the demo keep theirs.
"""

from collections import Counter
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction


class DemoSnapshot:
    """The rows `load_demo` adds: {table: (columns, rows)} on SQLite, {table: [row JSON]} on PostgreSQL."""

    def __init__(self, added):
        self.added = added
        self.replayed = False  # since the last `rewind_sequences` (tests/conftest.py)
        tables = set(added)
        self.models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables]

    @classmethod
    def capture(cls):
        with transaction.atomic():
            before = _rows()
            _advance_sequences()
            call_command("load_demo", "--seed-only", "--quotes-only", stdout=StringIO())
            after = _rows()
            transaction.set_rollback(True)
        cls.rewind_sequences()
        added = {}
        for table, rows in after.items():
            if table == GENERATION:
                continue  # raised, not added to: replay raises it itself
            gone = Counter(before.get(table, {}).get("rows", [])) - Counter(rows["rows"])
            if gone:
                raise RuntimeError(f"load_demo changed or removed rows of {table}; a snapshot cannot replay that")
            new = list((Counter(rows["rows"]) - Counter(before.get(table, {}).get("rows", []))).elements())
            if new:
                added[table] = (rows["columns"], new)
        return cls(added)

    @staticmethod
    def rewind_sequences():
        """PostgreSQL: put every sequence back to its table's highest id (sequences ignore rollbacks), so
        rows a later test makes before its demo come before the demo's, as on SQLite. Call after a rollback."""
        if connection.vendor == "postgresql":
            models = apps.get_models(include_auto_created=True)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)

    def replay(self):
        """Insert the demo's rows into the current database (inside the caller's transaction)."""
        self.replayed = True
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (columns, rows) in self.added.items():
                name = connection.ops.quote_name(table)
                if connection.vendor == "postgresql":
                    stored = ", ".join(connection.ops.quote_name(c) for c in _stored_columns(cursor, table))
                    cursor.execute(
                        f"INSERT INTO {name} ({stored}) "
                        f"SELECT {stored} FROM json_populate_recordset(NULL::{name}, %s::json)",
                        ["[" + ",".join(rows) + "]"],
                    )
                else:
                    if columns[0] == "rowid":  # an FTS5 table: flushes (transactional tests) leave its rows behind
                        cursor.executemany(f"DELETE FROM {name} WHERE rowid = %s", [row[:1] for row in rows])
                    names = ", ".join(columns)
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(f"INSERT INTO {name} ({names}) VALUES ({marks})", rows)
            # The archive changed: what is kept per data generation must not be read again.
            cursor.execute(f"UPDATE {GENERATION} SET number = number + 1")
            # Rows went in with their ids: the sequences must continue after them (PostgreSQL;
            # SQLite's AUTOINCREMENT follows explicit ids by itself).
            for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(sql)


GENERATION = "articles_datageneration"  # one row, the data generation (articles/derived.py)

# The demo's rows get ids from here on, so rows a test makes before asking for the demo (in an
# earlier fixture) never take them, and sort before the demo's, as they did when each test loaded it.
FIRST_ID = 1_000_000


def _advance_sequences():
    """Make every table's next id FIRST_ID + 1, inside the capture's transaction (PostgreSQL's sequences
    ignore its rollback: `rewind_sequences` puts them back)."""
    with connection.cursor() as cursor:
        for sequence in connection.introspection.sequence_list():
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                    [connection.ops.quote_name(sequence["table"]), sequence["column"], FIRST_ID],
                )
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [sequence["table"]])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [sequence["table"], FIRST_ID])


def _rows():
    """Every row of every table, in a form that can be compared and inserted again."""
    out = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in connection.introspection.table_names(cursor):
                name = connection.ops.quote_name(table)
                cursor.execute(f"SELECT row_to_json(t)::text FROM {name} t")
                out[table] = {"columns": None, "rows": [row for (row,) in cursor.fetchall()]}
            return out
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        schema = dict(cursor.fetchall())
        virtual = {name for name, sql in schema.items() if sql and sql.upper().startswith("CREATE VIRTUAL TABLE")}
        for table in schema:
            if table.startswith("sqlite_") or any(table in shadow_tables(v) for v in virtual):
                continue  # SQLite's own bookkeeping, and FTS5's shadow tables (filled by inserting into the table)
            cursor.execute(f"PRAGMA table_info({connection.ops.quote_name(table)})")
            columns = [connection.ops.quote_name(c[1]) for c in cursor.fetchall()]
            if table in virtual:
                columns = ["rowid", *columns]
            cursor.execute(f"SELECT {', '.join(columns)} FROM {connection.ops.quote_name(table)}")
            out[table] = {"columns": columns, "rows": [tuple(row) for row in cursor.fetchall()]}
    return out


def shadow_tables(virtual_table):
    """The tables FTS5 keeps for a virtual table; it writes them itself."""
    return {f"{virtual_table}_{part}" for part in ("data", "idx", "content", "docsize", "config")}


_STORED = {}


def _stored_columns(cursor, table):
    """A PostgreSQL table's columns but its generated ones (`Article.dated`), which the database computes."""
    if table not in _STORED:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position",
            [table],
        )
        _STORED[table] = [column for (column,) in cursor.fetchall()]
    return _STORED[table]

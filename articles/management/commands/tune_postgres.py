"""Price PostgreSQL's `tsvector @@ tsquery` at its real cost, so the planner reads the GIN index.

The planner prices `@@` at one operator's cost, as if the vector were at hand.
Ours are stored out of line and compressed (~3.5 KB a report): a sequential
scan decompresses each one, ~7 microseconds a row. Priced at 1, a sequential
scan looks cheaper than the GIN index whenever the index has grown (after
`rebuild_search_index`: 80 ms instead of 11 ms at 10,000 reports, and seconds
at a million). 100 is still below the true cost, and enough for the planner to
read the index.

This changes a built-in function's setting, which each database keeps for
itself, and only a superuser may, so it is not a migration: a superuser runs
it once in every database the archive uses, and again after restoring a dump
into a new one (docs/search.md, "Index"). Without the privilege the command
says so and prints the statement for the server's administrator.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

COST = 100
STATEMENT = "ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST {cost}"


class Command(BaseCommand):
    help = "PostgreSQL only: price tsvector @@ tsquery so the planner reads the search index (needs a superuser)."

    def add_arguments(self, parser):
        parser.add_argument("--cost", type=int, default=COST, help=f"the price to set (default {COST}; 1 undoes it)")
        parser.add_argument("--check", action="store_true", help="only print the current price")

    def handle(self, *, cost, check, **options):
        if connection.vendor != "postgresql":
            raise CommandError("tune_postgres is for PostgreSQL; this database is " + connection.vendor)
        with connection.cursor() as cursor:
            cursor.execute("SELECT procost FROM pg_proc WHERE proname = 'ts_match_vq'")
            current = cursor.fetchone()[0]
            if check:
                self.stdout.write(f"ts_match_vq costs {current:g}")
                return
            statement = STATEMENT.format(cost=cost)
            try:
                cursor.execute(statement)
            except DatabaseError as error:
                raise CommandError(
                    f"{error}".strip() + f"\nOnly a superuser may alter a built-in function: ask the administrator "
                    f"of the PostgreSQL server to run\n    {statement};"
                ) from None
        self.stdout.write(f"ts_match_vq now costs {cost} (was {current:g}).")

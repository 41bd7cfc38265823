import sys

from django.db import DatabaseError, migrations, transaction

# The planner prices `tsvector @@ tsquery` at one operator's cost, as if the vector were at hand. Ours
# are stored out of line and compressed (~3.5 KB a report): a sequential scan decompresses each one,
# ~7 microseconds a row. Priced at 1, a sequential scan looks cheaper than the GIN index whenever the
# index has grown (after rebuild_search_index: 80 ms instead of 11 ms at 10,000 reports, and seconds
# at a million). 100 is still below the true cost, and enough for the planner to read the index.
COST = 100


def price(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(f"ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST {COST}")
    except DatabaseError as error:  # only a superuser may alter a built-in function
        sys.stderr.write(
            f"\nNote: could not run ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST {COST} ({error}).\n"
            "Ask the database's administrator to run it once: see docs/search.md, 'Index'.\n"
        )


def unprice(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST 1")
    except DatabaseError:
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_drop_title_vector_index"),
    ]

    operations = [migrations.RunPython(price, unprice)]

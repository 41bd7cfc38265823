"""Two derived columns, kept by `articles/derived.py`: the report's date on each quote, with the ledger's
indexes, and the group of copies of one text on each report (filled by `manage.py rebuild_copy_groups`).

The ledger lists quotes newest report first. Filtered by a frequent speaker, the database had to read
every one of the speaker's quotes and its report, at random, before it could sort them (20,000 of
3,000,000 at a million reports: 0.6 s). With the date on the quote and an index in the ledger's own
order, a page of a speaker's (an addressee's, a meeting's) newest quotes is an index range.
"""

from django.db import migrations, models

COLUMNS = ("speaker_id", "addressee_id", "meeting_id")


# The check that a quote covers its words in the body (0002) ran after any write of a quote row; it
# is about the span's columns, so it now runs when one of those is written, not when derived data
# (the report's date) is: writing the date queued a check of every quote, which also forbids creating
# an index in the same transaction ("pending trigger events").
SPAN_CHECK = """
    DROP TRIGGER IF EXISTS articles_quote_text_matches_body ON articles_quote;
    CREATE CONSTRAINT TRIGGER articles_quote_text_matches_body
        AFTER INSERT OR UPDATE {columns}ON articles_quote
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION articles_quote_text_matches_body();
"""


def span_check_on_span_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SPAN_CHECK.format(columns='OF article_id, start, "end", text, needs_attention '))


def span_check_on_every_update(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SPAN_CHECK.format(columns=""))


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE articles_quote q SET published = a.published FROM articles_article a "
            "WHERE a.id = q.article_id AND a.published IS NOT NULL"
        )
    else:
        schema_editor.execute(
            "UPDATE articles_quote SET published = "
            "(SELECT a.published FROM articles_article a WHERE a.id = articles_quote.article_id)"
        )


def index_names():
    """(name, leading columns): the unfiltered ledger's order, and the same after each filter's column."""
    yield "quote_newest", ""
    for column in COLUMNS:
        yield f"quote_{column.removesuffix('_id')}_newest", f"{column}, "


def create_indexes(apps, schema_editor):
    # PostgreSQL sorts NULLs first in DESC order unless told; SQLite sorts them last, and cannot say so.
    nulls_last = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    for name, leading in index_names():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON articles_quote "
            f"({leading}published DESC{nulls_last}, article_id DESC, start)"
        )


def drop_indexes(apps, schema_editor):
    for name, _leading in index_names():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_dated_newest_first")]

    operations = [
        migrations.RunPython(span_check_on_span_columns, span_check_on_every_update),
        migrations.AddField(
            model_name="quote",
            name="published",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="report's date"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.AddField(
            model_name="article",
            name="copy_group",
            field=models.BigIntegerField(blank=True, editable=False, null=True, verbose_name="copies of one text"),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["copy_group"], name="article_copy_group"),
        ),
    ]

"""Two derived columns, kept by `articles/derived.py`: the report's date on each quote, with the ledger's
indexes, and the group of copies of one text on each report (filled by `manage.py rebuild_copy_groups`).

The ledger lists quotes newest report first. Filtered by a frequent speaker, the database had to read
every one of the speaker's quotes and its report, at random, before it could sort them (20,000 of
3,000,000 at a million reports: 0.6 s). With the date on the quote and an index in the ledger's own
order, a page of a speaker's (an addressee's, a meeting's) newest quotes is an index range.
"""

from django.db import migrations, models

COLUMNS = ("speaker_id", "addressee_id", "meeting_id")


def backfill(apps, schema_editor):
    schema_editor.execute(
        "UPDATE articles_quote SET published = "
        "(SELECT a.published FROM articles_article a WHERE a.id = articles_quote.article_id)"
    )


def create_indexes(apps, schema_editor):
    # PostgreSQL sorts NULLs first in DESC order unless told; SQLite sorts them last, and cannot say so.
    nulls_last = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    for column in COLUMNS:
        name = f"quote_{column.removesuffix('_id')}_newest"
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON articles_quote "
            f"({column}, published DESC{nulls_last}, article_id DESC, start)"
        )


def drop_indexes(apps, schema_editor):
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS quote_{column.removesuffix('_id')}_newest")


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_database_rules")]

    operations = [
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

"""Reports newest first, as lists and the quote ledger sort them (PostgreSQL only).

Walking this index, the ledger's page (quotes of the newest reports first) is a nested loop
that stops after a page, instead of sorting every quote of the archive; SQLite cannot index
NULLS LAST, and its archives are small.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS article_newest_first ON articles_article (published DESC NULLS LAST, id DESC)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_newest_first")


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_evidence")]

    operations = [migrations.RunPython(create, drop)]

from django.db import migrations


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Ranking now tests each match's small title vector in its row (articles/search/__init__.py):
        # no query asks this index any more, and every report written paid to keep it.
        schema_editor.execute("DROP INDEX IF EXISTS search_document_title_vector")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_document_title_vector ON articles_searchdocument USING gin (title_vector)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_merge_search_and_spans"),
    ]

    operations = [migrations.RunPython(drop, create)]

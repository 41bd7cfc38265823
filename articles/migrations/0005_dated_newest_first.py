"""PostgreSQL indexes for the orders the public pages read at scale (docs/performance.md, "At scale").

- `article_dated_newest_first` (dated DESC NULLS LAST, id DESC): the report list's default order
  (`Article.Meta.ordering`, `sort_reports`' "newest") reads its page from the index instead of
  sorting every report (0.4 s at 100,000 reports);
- `article_latest_first` (COALESCE(published_at, created_at) DESC): the home page's latest reports,
  likewise, and `article_feed_order` (published_at DESC NULLS LAST, id DESC) the feed's.

SQLite cannot index NULLS LAST and reads small archives anyway: nothing there.
"""

from django.db import migrations

INDEXES = {
    "article_dated_newest_first": "articles_article (dated DESC NULLS LAST, id DESC)",
    "article_latest_first": "articles_article ((COALESCE(published_at, created_at)) DESC)",
    "article_feed_order": "articles_article (published_at DESC NULLS LAST, id DESC)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_data_generation")]

    operations = [migrations.RunPython(create, drop)]

"""The admin's search of reports through an index (docs/performance.md, "Admin, exports, imports").

On PostgreSQL:

- `archive_fold(text)`: the text lower-cased, the characters the archive's normalisation folds
  folded and those it drops removed (`articles.admin.search.fold_table`);
- `articles_article.search_folded`, a stored generated column, `archive_fold(title) || ' ' ||
  archive_fold(byline)`, which the model does not know (SQLite has no such function; the admin
  reads it through `articles.admin.search.FoldedColumn`);
- `article_search_folded_trgm`, a trigram index (`pg_trgm`) on it, so the admin finds the reports
  whose title or byline contains a word however it was printed without reading every title
  (1.6 s at 100,000 reports under load). Where `pg_trgm` cannot be created the column is there and
  the search is still right, by a scan of the column.

A change to the normalisation's table needs a migration that runs `fold_function_sql()` again and
then `UPDATE articles_article SET title = title` (stored columns are not recomputed by a new
function); `tests/test_admin_changelists.py` checks that the function folds as the code does.
Adding the column rewrites the table (17 s at 100,000 reports). SQLite: nothing (small archives).
"""

from django.db import migrations, transaction

from articles.admin.search import FOLD_FUNCTION, FOLDED_COLUMN, fold_function_sql

INDEX = "article_search_folded_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(fold_function_sql())
    schema_editor.execute(
        f"ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS {FOLDED_COLUMN} text "
        f"GENERATED ALWAYS AS ({FOLD_FUNCTION}(title) || ' ' || {FOLD_FUNCTION}(byline)) STORED"
    )
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # not installed, or not allowed: the search reads the column, as a scan
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article USING gin ({FOLDED_COLUMN} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE articles_article DROP COLUMN IF EXISTS {FOLDED_COLUMN}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FOLD_FUNCTION}(text)")


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_article_language_published")]

    operations = [migrations.RunPython(create, drop)]

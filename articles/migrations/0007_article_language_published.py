"""The admin's language filter (`articles.admin.coverage.LanguageFilter`): a language few reports are
in is found from this index, not by reading every report (docs/performance.md, "Admin, exports, imports")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_quote_published_copy_group")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["language", "published"], name="article_language_published"),
        ),
    ]

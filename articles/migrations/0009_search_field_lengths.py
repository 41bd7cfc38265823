"""The number of words in each part of a report's search entry (title, body, names and translations).

Ranking reads the positions of the query's words from the stored `vector` instead of reading and
tokenising the head's texts again; it needs the parts' lengths (BM25F normalises by them) and where
each part begins. Null for entries written before: ranking reads those reports' texts, as before,
until `manage.py rebuild_search_index` writes them again. Adding nullable columns rewrites nothing.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_admin_search_folded'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchdocument',
            name='body_words',
            field=models.IntegerField(null=True, verbose_name='words in the body'),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='extra_words',
            field=models.IntegerField(null=True, verbose_name='words in the names and translations'),
        ),
        migrations.AddField(
            model_name='searchdocument',
            name='title_words',
            field=models.IntegerField(null=True, verbose_name='words in the title'),
        ),
    ]

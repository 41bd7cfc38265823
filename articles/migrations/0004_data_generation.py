"""The archive's data generation (`articles.derived.bump_generation`): one row, raised by every write."""

from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("articles", "DataGeneration").objects.get_or_create(pk=1, defaults={"number": 0})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_background_job_pdf"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=0, verbose_name="generation")),
            ],
            options={
                "verbose_name": "data generation",
                "verbose_name_plural": "data generations",
            },
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]

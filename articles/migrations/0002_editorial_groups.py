"""The two editorial groups: editors annotate and submit; reviewers also publish and withdraw."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORD_MODELS = {
    "articles": ["article", "quote", "mention", "note", "source"],
    "diplomacy": [
        "participant", "participantalias", "office", "place", "topic",
        "meeting", "participation", "agreement", "agreementparty",
    ],
}
EDITORS = [
    f"{app}.{action}_{model}"
    for app, models in RECORD_MODELS.items()
    for model in models
    for action in ("add", "change", "view")
] + [f"articles.delete_{model}" for model in ("quote", "mention", "note")] + ["articles.view_draft"]
REVIEWERS = EDITORS + [
    "articles.publish_article",
    "articles.delete_article",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("editors", EDITORS), ("reviewers", REVIEWERS)):
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["editors", "reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("diplomacy", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

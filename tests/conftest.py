from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

SHARED = Path(__file__).resolve().parents[1] / "articles" / "demo"
SEED_TEXT = SHARED / "kerry-moscow-2016.txt"
SEED_RECORDS = SHARED / "kerry-moscow-2016.annotations.json"


@pytest.fixture
def demo(db):
    """The seed report, published, with its reference quotes; its names are not linked and it has no
    approximate date yet, so the toolkit's suggestions and the tests that add either start from none."""
    from articles.models import Article

    call_command("load_demo", "--quotes-only", stdout=StringIO())
    return Article.objects.get(title="ماذا حمل جون كيري في جعبته للقيادات السورية")


@pytest.fixture
def linked_demo(db):
    """The seed report as `make run` loads it: quotes, names of people and places linked, approximate date."""
    from articles.models import Article

    call_command("load_demo", stdout=StringIO())
    return Article.objects.get(title="ماذا حمل جون كيري في جعبته للقيادات السورية")


@pytest.fixture
def editor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    user.groups.add(Group.objects.get(name="editors"))
    return user


@pytest.fixture
def reviewer(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("reviewer", password="pw-reviewer-1", is_staff=True)
    user.groups.add(Group.objects.get(name="reviewers"))
    return user

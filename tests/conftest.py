from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

SHARED = Path(__file__).resolve().parents[1] / "articles" / "demo"
SEED_TEXT = SHARED / "kerry-moscow-2016.txt"
SEED_RECORDS = SHARED / "kerry-moscow-2016.annotations.json"


@pytest.fixture
def demo(db):
    """The seed report, published, with its reference annotation."""
    from articles.models import Article

    call_command("load_demo", "--seed-only", stdout=StringIO())
    return Article.objects.get(title="ماذا حمل جون كيري في جعبته للقيادات السورية")


@pytest.fixture
def second_demo(demo):
    """The second demo report of the same talks (written for the demo), loaded after the seed by load_demo."""
    from articles.models import Article

    call_command("load_demo", stdout=StringIO())
    return Article.objects.get(source__name_en="Demo text")


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

"""Facet counts kept per data generation: every write raises the generation, the public's counts are
shared through the cache and never an editor's, and large matches are counted as marked estimates."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from articles import actions, derived, filters, workflow
from articles.filters import ArticleFilter, about, facets_key
from articles.models import Article
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db


def shown_total(response):
    """The number in the page's result count ("12 reports", "About 850,000 reports")."""
    found = re.search(r'class="result-count" role="status">([^<]*)<', response.content.decode())
    return found.group(1)


def test_every_write_raises_the_generation_once_an_action(demo):
    start = derived.generation()
    article = actions.create_article(user=workflow.COMMAND, title="تقرير جديد", body="نص التقرير الجديد.")
    after_create = derived.generation()
    assert after_create == start + 1  # one action, one raise, however many rows it wrote
    actions.edit_article(article, user=workflow.COMMAND, values={"title": "عنوان آخر"})
    assert derived.generation() == after_create + 1
    make_source()  # a write outside any action raises it too
    assert derived.generation() == after_create + 2


def test_a_failed_action_leaves_the_generation_as_it_was(demo):
    start = derived.generation()
    with pytest.raises(ValidationError):  # the transaction rolls back, the raise with it
        actions.create_article(user=workflow.COMMAND, title="", body="")
    assert derived.generation() == start


def test_cached_counts_follow_a_write(client, demo):
    before = shown_total(client.get("/en/articles/"))
    assert shown_total(client.get("/en/articles/")) == before  # from the cache
    make_article()
    after = shown_total(client.get("/en/articles/"))
    assert after != before
    assert int(after.split()[0]) == int(before.split()[0]) + 1


def test_an_editors_view_is_never_cached_for_the_public(client, editor, demo):
    make_article(status=Article.Status.DRAFT, title="مسودة لا تنشر")
    public = Article.objects.published().count()
    everything = Article.objects.count()
    assert everything == public + 1
    client.force_login(editor)
    if not editor.has_perm("articles.view_draft"):
        pytest.skip("the editors group does not carry view_draft on this branch")
    assert shown_total(client.get("/en/articles/")).startswith(f"{everything} ")  # the editor's preview
    client.logout()
    assert shown_total(client.get("/en/articles/")).startswith(f"{public} ")  # not the editor's count
    client.force_login(editor)
    assert shown_total(client.get("/en/articles/")).startswith(f"{everything} ")  # nor the reverse


def test_the_key_is_the_filters_not_their_order(demo):
    one = ArticleFilter({"participant": ["kerry", "lavrov"], "q": " كيري  "}, queryset=Article.objects.all())
    two = ArticleFilter({"q": "كيري", "participant": ["lavrov", "kerry"]}, queryset=Article.objects.all())
    other = ArticleFilter({"participant": ["kerry"], "q": "كيري"}, queryset=Article.objects.all())
    assert one.is_valid() and two.is_valid() and other.is_valid()
    assert facets_key(one) == facets_key(two) != facets_key(other)


def test_about_rounds_to_two_figures():
    assert about(848_213) == 850_000
    assert about(12_345) == 12_000
    assert about(99) == 99
    assert about(0.4) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates use PostgreSQL's planner")
def test_a_large_match_is_counted_over_a_sample_and_says_so(client, demo, monkeypatch):
    source = make_source()
    for _ in range(30):
        make_article(source=source)
    monkeypatch.setattr(filters, "EXACT_LIMIT", 0)  # every match counts as large
    counts = filters.facet_counts(Article.objects.published())
    assert counts.estimated and counts.step >= 2
    english = client.get("/en/articles/")
    assert shown_total(english).startswith("About ")
    assert "estimated from a sample" in english.content.decode()
    assert "about " in english.content.decode().split('class="facets"')[1]
    arabic = client.get("/articles/?page=1")
    assert shown_total(arabic).startswith("نحو ")
    monkeypatch.setattr(filters, "EXACT_LIMIT", 50_000)
    derived.bump_generation()
    exact = client.get("/en/articles/")
    assert shown_total(exact).split()[0] == str(Article.objects.published().count())

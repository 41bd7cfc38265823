"""The Atom feed of newly published reports (Arabic at /feed/, English at /en/feed/)."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.display import format_article_date, isolate
from articles.models import Article, Change

FEED_SIZE = 30


class ReportsAtomFeed(Atom1Feed):
    """Atom with each entry in its own language: the English feed's entries are Arabic reports, and
    their `xml:lang` says so (the feed's own `xml:lang` is the language of its titles and links)."""

    def item_attributes(self, item):
        return {"xml:lang": item["language"]} if item.get("language") else {}


class LatestReportsFeed(Feed):
    feed_type = ReportsAtomFeed

    def title(self):
        return _("Diplomacy Archive: newly published reports")

    def subtitle(self):
        return _("Middle East diplomacy coverage, as printed, with who met whom and who said what.")

    def link(self):
        return reverse("home")

    def feed_url(self):
        return reverse("feed")

    def items(self):
        # A feed is read by machines without a login: always the public view, even for an editor.
        return (
            Article.objects.visible_to(None)
            .select_related("source")
            .order_by(F("published_at").desc(nulls_last=True), "-id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return isolate(item.title)

    def item_extra_kwargs(self, item):
        return {"language": item.language}

    def item_description(self, item):
        return f"{format_article_date(item)} — {item.paragraphs[0]}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        if item.byline:
            return isolate(item.byline)
        return isolate(item.source.name_in(translation.get_language())) if item.source else None

    def item_categories(self, item):
        return [item.source.name_in(translation.get_language())] if item.source else []


class ChangesFeed(Feed):
    """The public log of changes as Atom (`/changes/feed/`): the same entries as /api/v1/changes/."""

    feed_type = Atom1Feed

    def title(self):
        return _("Diplomacy Archive: changes")

    def subtitle(self):
        return _("Reports published, corrected or withdrawn, newest first, for those who keep a copy.")

    def link(self):
        return reverse("home")

    def feed_url(self):
        return reverse("changes-feed")

    def items(self):
        return Change.objects.select_related("article").order_by("-at", "-id")[:FEED_SIZE]

    def item_title(self, item):
        kinds = {
            Change.Kind.PUBLISHED: _("Report %(id)s published"),
            Change.Kind.CORRECTED: _("Report %(id)s corrected"),
            Change.Kind.WITHDRAWN: _("Report %(id)s withdrawn"),
        }
        return kinds[item.kind] % {"id": item.article_id}

    def item_description(self, item):
        changed = ", ".join(sorted(item.what)) if item.what else ""
        return _("What changed: %(what)s") % {"what": changed} if changed else ""

    def item_link(self, item):
        return reverse("article-detail", kwargs={"pk": item.article_id})

    def item_guid(self, item):
        return f"urn:diplomacy-archive:change:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.at

    def item_updateddate(self, item):
        return item.at

"""The Atom feed of newly published reports (Arabic at /feed/, English at /en/feed/)."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles.display import format_article_date
from articles.models import Article

FEED_SIZE = 30


class LatestReportsFeed(Feed):
    feed_type = Atom1Feed

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
        return item.title

    def item_description(self, item):
        return f"{format_article_date(item)} — {item.paragraphs[0]}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        if item.byline:
            return item.byline
        return item.source.name_in(translation.get_language()) if item.source else None

    def item_categories(self, item):
        return [item.source.name_in(translation.get_language())] if item.source else []

"""sitemap.xml: published reports and the record pages, in both languages with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Source
from diplomacy.models import Agreement, Meeting, Participant


class _Bilingual(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class ArticleSitemap(_Bilingual):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        # Search engines are anonymous: published reports only, whoever asks.
        return Article.objects.visible_to(None).order_by("pk").only("pk", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class RecordSitemap(_Bilingual):
    changefreq = "monthly"
    priority = 0.6

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.order_by("pk").only("pk", "slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(_Bilingual):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["home", "article-list", "timeline", "source-list"]

    def location(self, item):
        return reverse(item)


class SourceSitemap(_Bilingual):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Source.objects.order_by("pk")

    def location(self, item):
        return reverse("source-detail", kwargs={"slug": item.slug})


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "participants": RecordSitemap(Participant),
    "meetings": RecordSitemap(Meeting),
    "agreements": RecordSitemap(Agreement),
    "sources": SourceSitemap,
}

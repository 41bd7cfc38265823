"""Public pages, mounted under i18n_patterns: Arabic at the root, English under /en/.

The names `home`, `article-detail`, `participant-detail`, `meeting-detail` and
`agreement-detail` are used by the models' get_absolute_url.
"""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from articles.public import views
from articles.public.feeds import ChangesFeed, LatestReportsFeed
from articles.public.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("articles/<int:pk>/cite.bib", views.article_bibtex, name="article-bibtex"),
    path("articles/<int:pk>/cite.ris", views.article_ris, name="article-ris"),
    path("search/", views.search, name="search"),
    path("participants/<str:slug>/", views.participant_detail, name="participant-detail"),
    path("meetings/<str:slug>/", views.meeting_detail, name="meeting-detail"),
    path("agreements/<str:slug>/", views.agreement_detail, name="agreement-detail"),
    path("quotes/", views.quote_list, name="quote-list"),
    path("quotes/<int:pk>/", views.quote_detail, name="quote-detail"),
    path("quotes/<int:pk>/cite.bib", views.quote_bibtex, name="quote-bibtex"),
    path("quotes/<int:pk>/cite.ris", views.quote_ris, name="quote-ris"),
    path("mentions/<int:pk>/", views.mention_detail, name="mention-detail"),
    path("mentions/<int:pk>/cite.bib", views.mention_bibtex, name="mention-bibtex"),
    path("mentions/<int:pk>/cite.ris", views.mention_ris, name="mention-ris"),
    path("places/<str:slug>/", views.place_detail, name="place-detail"),
    path("timeline/", views.timeline, name="timeline"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<str:slug>/", views.source_detail, name="source-detail"),
    path("feed/", LatestReportsFeed(), name="feed"),
    path("changes/feed/", ChangesFeed(), name="changes-feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]

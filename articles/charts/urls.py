"""Charts, timelines and the PDF of a report; included inside `i18n_patterns`, so English lives under /en/."""

from django.urls import path

from articles.charts import views as chart_views

urlpatterns = [
    path("charts/", chart_views.charts_page, name="charts"),
    path("charts/<slug:name>.png", chart_views.chart_image, name="chart-png"),
    path("charts/<slug:name>.csv", chart_views.chart_csv, name="chart-csv"),
    path("participants/<str:slug>/timeline.png", chart_views.participant_timeline, name="participant-timeline"),
    path("agreements/<str:slug>/timeline.png", chart_views.agreement_timeline, name="agreement-timeline"),
    path("articles/<int:pk>/pdf/", chart_views.article_pdf, name="article-pdf"),
]

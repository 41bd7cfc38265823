from django.urls import path

from articles import views

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("participants/<slug:slug>/", views.participant_detail, name="participant-detail"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting-detail"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement-detail"),
]

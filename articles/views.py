"""Public pages. The foundation serves a plain home page and the report as printed."""

from django.shortcuts import get_object_or_404, render

from articles.models import Article
from diplomacy.models import Agreement, Meeting, Participant


def home(request):
    articles = Article.objects.visible_to(request.user).select_related("source")[:50]
    return render(request, "public/home.html", {"articles": articles})


def article_detail(request, pk):
    article = get_object_or_404(Article.objects.visible_to(request.user).select_related("source"), pk=pk)
    return render(request, "public/article_detail.html", {"article": article})


def participant_detail(request, slug):
    return render(request, "public/record_detail.html", {"record": get_object_or_404(Participant, slug=slug)})


def meeting_detail(request, slug):
    return render(request, "public/record_detail.html", {"record": get_object_or_404(Meeting, slug=slug)})


def agreement_detail(request, slug):
    return render(request, "public/record_detail.html", {"record": get_object_or_404(Agreement, slug=slug)})

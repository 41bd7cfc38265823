from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article, Mention, Note, Quote, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name_ar", "name_en", "country"]
    search_fields = ["name_ar", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "source", "published", "status"]
    list_filter = ["status", "source"]
    list_select_related = ["source"]
    search_fields = ["title"]


for model in (Quote, Mention, Note):
    admin.site.register(model, SimpleHistoryAdmin)

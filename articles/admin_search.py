"""Admin for the search synonyms editors extend (kept apart from admin.py, which the editorial admin owns)."""

from django.contrib import admin

from articles.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["words", "created_at"]
    search_fields = ["words"]
    ordering = ["words"]

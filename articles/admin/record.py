"""The record's admins: participants, places, topics, meetings, agreements.

Search ignores diacritics, tatweel and hamza variants in either script
(`articles.admin.search`); participants are also found by any alias. Each
changelist loads its related rows up front, so its query count does not grow
with the page.
"""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from articles import actions
from articles.admin.concurrency import ConcurrentEditMixin
from articles.admin.coverage import GuardedHistoryAdmin
from articles.admin.search import NormalizedSearchMixin
from diplomacy.models import (
    Agreement,
    AgreementParty,
    Meeting,
    Office,
    Participant,
    ParticipantAlias,
    Participation,
    Place,
    Topic,
)

admin.site.site_header = _("Diplomacy Archive")
admin.site.site_title = _("Diplomacy Archive")
admin.site.index_title = _("Editors' desk")


class RecordAdmin(ConcurrentEditMixin, NormalizedSearchMixin, GuardedHistoryAdmin):
    show_full_result_count = False
    list_per_page = 100


class RolesAdmin(RecordAdmin):
    """Meetings and agreements: who takes part in what role is set through the action, whole."""

    roles_action = None  # the action that sets the roles, for the inline of `roles_model`
    roles_model = None

    def save_formset(self, request, form, formset, change):
        if formset.model is not self.roles_model:
            return super().save_formset(request, form, formset, change)
        roles = [
            (row["participant"], row["role"])
            for row in formset.cleaned_data
            if row and not row.get("DELETE") and row.get("participant")
        ]
        self.roles_action(form.instance, roles, user=request.user)


class PlainRecordAdmin(NormalizedSearchMixin, admin.ModelAdmin):
    """For places and topics, which keep no history."""

    show_full_result_count = False
    list_per_page = 100


class AliasInline(admin.TabularInline):
    model = ParticipantAlias
    fields = ["name", "language"]
    extra = 1


class OfficeInline(admin.TabularInline):
    model = Office
    fields = ["title_ar", "title_en", "country", "start", "end"]
    extra = 0


@admin.register(Participant)
class ParticipantAdmin(RecordAdmin):
    list_display = ["name_ar", "name_en", "kind", "country", "alias_list", "wikidata_id"]
    list_filter = ["kind", "country"]
    search_fields = ["name_ar", "name_en", "slug"]
    search_alias_path = "aliases"
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [AliasInline, OfficeInline]

    def get_queryset(self, request):
        # The aliases column: one query for the whole page, whatever its length.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("aliases", queryset=ParticipantAlias.objects.order_by("name")))
        )

    @admin.display(description=_("aliases"))
    def alias_list(self, obj):
        return "، ".join(alias.name for alias in obj.aliases.all())


@admin.register(Place)
class PlaceAdmin(PlainRecordAdmin):
    list_display = ["name_ar", "name_en", "country", "latitude", "longitude"]
    list_filter = ["country"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Topic)
class TopicAdmin(PlainRecordAdmin):
    list_display = ["name_ar", "name_en", "slug"]
    search_fields = ["name_ar", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


class RoleInline(admin.TabularInline):
    """Who takes part, in what role: a meeting's participations, an agreement's parties."""

    fields = ["participant", "role"]
    autocomplete_fields = ["participant"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("participant")


class ParticipationInline(RoleInline):
    model = Participation


@admin.register(Meeting)
class MeetingAdmin(RolesAdmin):
    list_display = ["title_ar", "title_en", "kind", "start", "end", "place", "part_of"]
    list_filter = ["kind", "date_precision", "place__country", "start"]
    list_select_related = ["place", "part_of"]
    search_fields = ["title_ar", "title_en", "slug"]
    date_hierarchy = "start"
    autocomplete_fields = ["place", "part_of", "topics"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [ParticipationInline]
    roles_model = Participation

    @staticmethod
    def roles_action(meeting, roles, *, user):
        actions.set_meeting_participants(meeting, participants=roles, user=user)


class AgreementPartyInline(RoleInline):
    model = AgreementParty


@admin.register(Agreement)
class AgreementAdmin(RolesAdmin):
    list_display = ["title_ar", "title_en", "kind", "status", "announced", "signed", "ended"]
    list_filter = ["kind", "status", "party_roles__participant__country", "announced", "signed"]
    search_fields = ["title_ar", "title_en", "slug", "pax_id"]
    date_hierarchy = "announced"
    autocomplete_fields = ["negotiated_at", "topics"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [AgreementPartyInline]
    roles_model = AgreementParty

    @staticmethod
    def roles_action(agreement, roles, *, user):
        actions.set_agreement_parties(agreement, parties=roles, user=user)

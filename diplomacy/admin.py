from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from diplomacy.models import Agreement, Meeting, Participant, Place, Topic

for model in (Participant, Meeting, Agreement):
    admin.site.register(model, SimpleHistoryAdmin)
admin.site.register(Place)
admin.site.register(Topic)

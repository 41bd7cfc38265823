"""Two editors on one record: a save made from a page opened before someone else's save is refused.

The change form carries, hidden, the version of the record the editor opened
(a report's `version`, or the `updated_at` of other records). If the stored
record has moved on, the form does not save: it says so and lists, field by
field, what the other editor changed (read from the record's history), so the
editor can reload and make their change again, not silently undo the other's.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LOADED = "loaded_version"


def edit_token(obj):
    """The version of a stored record, as the form carries it."""
    if hasattr(obj, "version"):
        return str(obj.version)
    return obj.updated_at.isoformat()


def _as_loaded(obj, token):
    """The history row of `obj` as it was at `token`, if its history goes back that far."""
    history = obj.history.order_by("-history_id")
    if hasattr(obj, "version"):
        return history.filter(version=int(token)).first() if token.isdigit() else None
    return history.filter(updated_at=token).first()


def changes_since(obj, token):
    """[(field label, value now)] for the fields someone changed since `token`."""
    then = _as_loaded(obj, token)
    if then is None:
        return []
    ignored = {"updated_at", "version", "content_hash", "edited_by"}
    changed = []
    for field in obj._meta.concrete_fields:
        if field.name in ignored or field.primary_key or not hasattr(then, field.attname):
            continue
        if getattr(then, field.attname) != getattr(obj, field.attname):
            value = getattr(obj, field.name)
            changed.append((str(field.verbose_name), "" if value is None else str(value)))
    return changed


def stale_message(obj, token):
    message = _("Someone else saved this record after you opened it; your changes were not saved.")
    changed = changes_since(obj, token)
    if changed:
        listed = "؛ ".join(f"{label}: «{value[:120]}»" for label, value in changed)
        message += " " + _("They changed: %(changes)s.") % {"changes": listed}
    return message + " " + _("Reload the page to see their version, then make your change again.")


class ConcurrentEditForm(forms.ModelForm):
    """A ModelForm that refuses to save over a version of the record newer than the one it was opened on."""

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[LOADED].initial = edit_token(self.instance)

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get(LOADED)
        if self.instance.pk and loaded and loaded != edit_token(self.instance):
            raise ValidationError(stale_message(self.instance, loaded), code="stale")
        return cleaned


class ConcurrentEditMixin:
    """For a ModelAdmin: its form carries the loaded version (rendered, hidden, on change pages)."""

    form = ConcurrentEditForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or any(LOADED in options.get("fields", ()) for _, options in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], LOADED]}), *rest]

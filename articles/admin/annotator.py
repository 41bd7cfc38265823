"""The annotator's endpoints, served by the article admin (`ArticleAdmin.get_urls`).

The change page posts a selected passage here to create a quote, mention or
note, and reads and accepts the toolkit's suggestions. Every endpoint runs
inside `admin_site.admin_view` (staff login, CSRF protection), checks the
model permissions and whether this user may still edit this report, validates
the span against the body through the same model checks as every form, and
answers JSON: the created annotation, or 400 with the errors by field.
"""

import datetime
import functools
import json

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from articles import actions, derived
from articles.arabic.normalize import folding_rules
from articles.display import format_date
from articles.models import Article, Evidence, Mention, Note, Quote
from articles.suggestions import suggest_for_article
from diplomacy.models import Participant, Place

# JSON type names, as the annotator and the suggestions service spell them.
MODELS = {"quote": Quote, "mention": Mention, "note": Note, "evidence": Evidence}
SUGGESTION_KINDS = ("mentions", "quotes", "dates")
SESSION_DISMISSED = "annotator-dismissed"
PERSON_SLUGS = ("participant", "speaker", "addressee")


def _arrow():
    """From speaker to addressee, in the reading direction of the page."""
    return " ← " if get_language_bidi() else " → "


def _name(obj):
    return obj.name_in(get_language()) if obj is not None else ""


class SpanForm(forms.ModelForm):
    """start/end from the selection; `text` as the browser saw it (checked against the body)."""

    span_fields = ["start", "end", "text"]

    def __init__(self, *args, article=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.article = article
        self.fields["text"].required = False
        self.fields["text"].strip = False  # the passage as printed, spaces included
        for name in self.span_fields:
            self.fields[name].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None and not cleaned.get("text"):
            cleaned["text"] = self.instance.article.body[start:end]
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # The form leaves `article` out, so the model's own check skips constraints that name it
        # (one quote per span, one mention per span and target): check them here.
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            self._update_errors(error)


def _autocomplete(model, name, admin_site):
    return AutocompleteSelect(model._meta.get_field(name), admin_site)


def panel_forms(admin_site, article, data=None):
    """The three forms of the annotator's panel, bound to `data` when given."""

    class QuoteForm(SpanForm):
        class Meta:
            model = Quote
            fields = ["start", "end", "text", "speaker", "co_speakers", "addressee", "kind", "meeting"]
            widgets = {
                **{name: _autocomplete(Quote, name, admin_site) for name in ("speaker", "addressee", "meeting")},
                "co_speakers": AutocompleteSelectMultiple(Quote._meta.get_field("co_speakers"), admin_site),
            }

    class MentionForm(SpanForm):
        class Meta:
            model = Mention
            fields = ["start", "end", "text", "participant", "place", "meeting", "agreement"]
            widgets = {
                name: _autocomplete(Mention, name, admin_site)
                for name in ("participant", "place", "meeting", "agreement")
            }

    class NoteForm(SpanForm):
        class Meta:
            model = Note
            fields = ["start", "end", "text", "note"]
            widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    class EvidenceForm(SpanForm):
        """Evidence for a field of a meeting or an agreement: the passage says when, where, who, or what came of it."""

        class Meta:
            model = Evidence
            fields = ["start", "end", "text", "meeting", "agreement", "field", "participant"]
            widgets = {
                name: _autocomplete(Evidence, name, admin_site) for name in ("meeting", "agreement", "participant")
            }

    return {
        "quote": QuoteForm(data, article=article, prefix="quote"),
        "mention": MentionForm(data, article=article, prefix="mention"),
        "note": NoteForm(data, article=article, prefix="note"),
        "evidence": EvidenceForm(data, article=article, prefix="evidence"),
    }


_PK = 2_147_483_646  # a stand-in id, replaced in the reversed URL


def admin_url(admin_name, kind, action, pk):
    """`reverse()` of an annotation's admin page, resolved once per kind and action, not once per row."""
    return _url_patterns(admin_name, kind, action).replace(str(_PK), str(pk))


@functools.cache
def _url_patterns(admin_name, kind, action):
    return reverse(f"{admin_name}:articles_{kind}_{action}", args=[_PK])


def annotation_json(obj, *, admin_name="admin"):
    """What the annotator needs to draw one annotation and to say what it is."""
    kind = obj._meta.model_name
    data = {
        "type": kind,
        "id": obj.pk,
        "start": obj.start,
        "end": obj.end,
        "text": obj.text,
        "needs_attention": obj.needs_attention,
        "change_url": admin_url(admin_name, kind, "change", obj.pk),
    }
    if kind == "quote":
        speaker = _name(obj.speaker) or _("unknown speaker")
        label = _("Quote (%(kind)s): %(speaker)s") % {"kind": obj.get_kind_display(), "speaker": speaker}
        if obj.addressee_id:
            label += _arrow() + _name(obj.addressee)
        data.update(label=label, speaker=obj.speaker_id, kind=obj.kind)
    elif kind == "mention":
        target = obj.target
        data.update(
            label=_("Mention of %(target)s (%(what)s)")
            % {"target": _name(target), "what": target._meta.verbose_name if target else "?"}
        )
    elif kind == "evidence":
        data.update(
            label=_("Evidence for the %(field)s of %(record)s")
            % {"field": obj.get_field_display(), "record": _name(obj.record)}
        )
    else:
        data.update(label=_("Note: %(note)s") % {"note": obj.note})
    return data


def article_annotations(article):
    """Every annotation of `article` in order, related rows loaded: four queries."""
    return [
        *Quote.objects.filter(article=article).select_related("speaker", "addressee", "meeting"),
        *Mention.objects.filter(article=article).select_related("participant", "place", "meeting", "agreement"),
        *Note.objects.filter(article=article).select_related("author"),
        *Evidence.objects.filter(article=article).select_related("meeting", "agreement", "participant"),
    ]


def annotation_lists(annotations, can_delete, admin_name="admin"):
    """The annotations by kind, for the read-only lists under the form (no further queries)."""
    lists = {kind: {"model": model, "rows": [], "can_delete": can_delete[kind]} for kind, model in MODELS.items()}
    for annotation in annotations:
        kind = annotation._meta.model_name
        annotation.admin_change_url = admin_url(admin_name, kind, "change", annotation.pk)
        annotation.admin_delete_url = admin_url(admin_name, kind, "delete", annotation.pk)
        lists[kind]["rows"].append(annotation)
    return [
        {
            "kind": kind,
            "title": entry["model"]._meta.verbose_name_plural,
            "rows": entry["rows"],
            "can_delete": entry["can_delete"],
        }
        for kind, entry in lists.items()
    ]


def annotator_strings():
    """The words the annotator's script shows, in the page's language."""
    return {
        "saved": _("Saved."),
        "deleted": _("Deleted."),
        "delete": _("Delete"),
        "edit": _("Edit"),
        "moveHere": _("Move here"),
        "accept": _("Accept"),
        "acceptAll": _("Accept all"),
        "dismiss": _("Dismiss"),
        "show": _("Show"),
        "alternatives": _("Which record the passage names"),
        "useAs": _("Use this date as"),
        "newParticipants": _("Speakers not in the records"),
        "create": _("Create participant"),
        "created": _("Created: %(name)s. Suggest again to see their quotes attributed."),
        "keys": _("↑ ↓ move between suggestions; Enter accepts, Delete dismisses, Space shows the passage."),
        "none": _("Nothing to suggest."),
        "running": _("Looking for names, quotes and dates…"),
        "failed": _("The request failed:"),
        "notFound": _("Not found in the body."),
        "found": _("Found %(n)s of %(total)s; Enter for the next."),
        "selectFirst": _("Select the new place in the text first."),
        "accepted": _("Accepted: %(n)s."),
        "mentions": _("Mentions"),
        "quotes": _("Quotes"),
        "dates": _("Dates"),
        "confirmDelete": _("Delete this annotation?"),
        "flagged": _("needs attention"),
    }


def _errors_json(error):
    """A model ValidationError as the form errors' JSON shape: {field: [{"message", "code"}]}."""
    by_field = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
    return {
        field: [{"message": message, "code": item.code or ""} for item in items for message in item.messages]
        for field, items in by_field.items()
    }


def _bad_request(message, errors=None, status=400):
    return JsonResponse({"error": message, "errors": errors or {}}, status=status)


def _specificity(target):
    """Of several records one passage may name, the most specific first: a person, an organisation,
    a place, then a state (`موسكو` is the city before it is Russia's government)."""
    if isinstance(target, Place):
        return 2
    return {"person": 0, "organization": 1, "state": 3}.get(target.kind, 1)


def _one_per_span(mentions):
    """One suggestion a passage: the most specific record, the others offered as `alternatives`."""
    by_span = {}
    for item in mentions:
        by_span.setdefault((item["start"], item["end"]), []).append(item)
    chosen = []
    for candidates in by_span.values():
        best, *others = sorted(candidates, key=lambda item: (item["rank"], item["label"]))
        best["alternatives"] = [
            {
                "key": other["key"],
                "participant": other.get("participant"),
                "place": other.get("place"),
                "label": other["label"],
            }
            for other in others
        ]
        chosen.append(best)
    for item in chosen:
        item.pop("rank", None)
        for other in item["alternatives"]:
            other.pop("rank", None)
    return chosen


def _date_choice(item, meetings):
    """A date's label as printed and in the page's language, and what accepting it may do."""
    when = datetime.date.fromisoformat(item["date"]) if item.get("date") else None
    precision = item.get("precision") or "day"
    label = format_date(when, precision) if when else _("date not resolved")
    uses = [{"value": "note", "label": _("a note on the passage")}]
    if when is not None and precision == "day":
        uses.append({"value": "published", "label": _("the report's publication date")})
        uses += [
            {"value": f"meeting:{meeting.slug}", "label": _("the date of %(meeting)s") % {"meeting": _name(meeting)}}
            for meeting in meetings
        ]
    return {"label": label, "uses": uses}


def participant_admin_url(participant):
    return reverse("admin:diplomacy_participant_change", args=[participant.pk])


def _suggestion_key(kind, item):
    target = item.get("participant") or item.get("place") or item.get("speaker") or item.get("date") or ""
    return f"{kind}:{item.get('start')}:{item.get('end')}:{target}"


class AnnotationViewsMixin:
    """For ArticleAdmin: the annotator on the change page and the endpoints it posts to."""

    annotate_permissions = {kind: f"articles.add_{kind}" for kind in MODELS}

    def get_urls(self):
        wrap = self.admin_site.admin_view
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/annotate/<str:kind>/",
                wrap(self.create_annotation_view),
                name=f"{prefix}_annotate",
            ),
            path(
                "<path:object_id>/annotate/<str:kind>/<int:annotation_id>/delete/",
                wrap(self.delete_annotation_view),
                name=f"{prefix}_annotation_delete",
            ),
            path(
                "<path:object_id>/annotate/<str:kind>/<int:annotation_id>/move/",
                wrap(self.move_annotation_view),
                name=f"{prefix}_annotation_move",
            ),
            path("<path:object_id>/suggestions/", wrap(self.suggestions_view), name=f"{prefix}_suggestions"),
            path(
                "<path:object_id>/suggestions/accept/",
                wrap(self.accept_suggestions_view),
                name=f"{prefix}_suggestions_accept",
            ),
            path(
                "<path:object_id>/suggestions/participant/",
                wrap(self.new_participant_view),
                name=f"{prefix}_suggestions_participant",
            ),
            path(
                "<path:object_id>/suggestions/dismiss/",
                wrap(self.dismiss_suggestions_view),
                name=f"{prefix}_suggestions_dismiss",
            ),
            *super().get_urls(),
        ]

    # The change page ------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            editable = self.has_change_permission(request, obj)
            forms_ = panel_forms(self.admin_site, obj) if editable else {}
            annotations = article_annotations(obj)
            prefix = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
            urls = {
                "annotate": reverse(f"{prefix}_annotate", args=[obj.pk, "KIND"]),
                "delete": reverse(f"{prefix}_annotation_delete", args=[obj.pk, "KIND", 0]),
                "move": reverse(f"{prefix}_annotation_move", args=[obj.pk, "KIND", 0]),
                "suggestions": reverse(f"{prefix}_suggestions", args=[obj.pk]),
                "accept": reverse(f"{prefix}_suggestions_accept", args=[obj.pk]),
                "dismiss": reverse(f"{prefix}_suggestions_dismiss", args=[obj.pk]),
                "participant": reverse(f"{prefix}_suggestions_participant", args=[obj.pk]),
            }
            can_delete = {kind: request.user.has_perm(f"articles.delete_{kind}") and editable for kind in MODELS}
            context["annotator"] = {
                "editable": editable,
                "forms": forms_,
                "lists": annotation_lists(annotations, can_delete, self.admin_site.name),
                "data": {
                    "body": obj.body,
                    "annotations": [annotation_json(a, admin_name=self.admin_site.name) for a in annotations],
                    "urls": urls,
                    "editable": editable,
                    "strings": annotator_strings(),
                    "folding": folding_rules(),
                    "can_delete": can_delete,
                },
            }
            for form in forms_.values():
                context["media"] = context["media"] + form.media
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Helpers ---------------------------------------------------------------

    def _editable_article(self, request, object_id, permission):
        article = Article.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if article is None:
            return None, _bad_request(_("No such report."), status=404)
        if not (self.has_change_permission(request, article) and request.user.has_perm(permission)):
            return None, _bad_request(_("You may not annotate this report."), status=403)
        return article, None

    def _create(self, request, article, kind, data):
        """Validate and save one annotation; (annotation, None) or (None, errors)."""
        form = panel_forms(self.admin_site, article, data)[kind]
        if not form.is_valid():
            return None, form.errors.get_json_data()
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            return actions.create_annotation(kind, article=article, user=request.user, **values), None
        except ValidationError as error:
            return None, _errors_json(error)
        except actions.SpanConflict:
            message = _("The report's text changed while this was saved; reload the page and try again.")
            return None, {"__all__": [{"message": message, "code": "conflict"}]}

    # Endpoints -------------------------------------------------------------

    def create_annotation_view(self, request, object_id, kind):
        if request.method != "POST":
            return _bad_request(_("Use POST."), status=405)
        if kind not in MODELS:
            return _bad_request(_("Unknown kind of annotation: %(kind)s") % {"kind": kind}, status=404)
        article, refusal = self._editable_article(request, object_id, self.annotate_permissions[kind])
        if refusal:
            return refusal
        obj, errors = self._create(request, article, kind, request.POST)
        if errors:
            return _bad_request(_("The annotation was not saved."), errors)
        return JsonResponse(annotation_json(obj, admin_name=self.admin_site.name), status=201)

    def delete_annotation_view(self, request, object_id, kind, annotation_id):
        if request.method != "POST":
            return _bad_request(_("Use POST."), status=405)
        if kind not in MODELS:
            return _bad_request(_("Unknown kind of annotation: %(kind)s") % {"kind": kind}, status=404)
        article, refusal = self._editable_article(request, object_id, f"articles.delete_{kind}")
        if refusal:
            return refusal
        obj = MODELS[kind].objects.filter(article=article, pk=annotation_id).first()
        if obj is None:
            return _bad_request(_("No such annotation on this report."), status=404)
        actions.delete_annotation(obj, user=request.user)
        return JsonResponse({"deleted": annotation_id, "type": kind})

    def move_annotation_view(self, request, object_id, kind, annotation_id):
        """Attach an annotation (one flagged after an edit, typically) to a newly selected passage."""
        if request.method != "POST":
            return _bad_request(_("Use POST."), status=405)
        if kind not in MODELS:
            return _bad_request(_("Unknown kind of annotation: %(kind)s") % {"kind": kind}, status=404)
        article, refusal = self._editable_article(request, object_id, f"articles.change_{kind}")
        if refusal:
            return refusal
        obj = MODELS[kind].objects.filter(article=article, pk=annotation_id).first()
        if obj is None:
            return _bad_request(_("No such annotation on this report."), status=404)
        try:
            start, end = int(request.POST["start"]), int(request.POST["end"])
        except (KeyError, ValueError):
            return _bad_request(_("start and end must be whole numbers."))
        try:
            obj = actions.move_annotation(obj, start=start, end=end, text=request.POST.get("text"), user=request.user)
        except ValidationError as error:
            if getattr(error, "code", None) == "mismatch" or "text" in getattr(error, "message_dict", {}):
                return _bad_request(
                    _("The selected text does not match the body; reload the page."), _errors_json(error)
                )
            return _bad_request(_("The annotation was not moved."), _errors_json(error))
        except actions.SpanConflict:
            return _bad_request(_("The report's text changed meanwhile; reload the page and try again."), status=409)
        return JsonResponse(annotation_json(obj, admin_name=self.admin_site.name))

    def _new_suggestions(self, request, article):
        """The toolkit's suggestions less those already annotated or dismissed, each with a key and a label."""
        raw = suggest_for_article(article, roles=True)  # role phrases the toolkit resolves are offered too
        dismissed = set(request.session.get(SESSION_DISMISSED, {}).get(str(article.pk), []))
        quoted = set(Quote.objects.filter(article=article).values_list("start", "end"))
        mentioned = {
            (start, end, participant or place)
            for start, end, participant, place in Mention.objects.filter(article=article).values_list(
                "start", "end", "participant__slug", "place__slug"
            )
        }
        mentioned_spans = {(start, end) for start, end, _target in mentioned}
        noted = set(Note.objects.filter(article=article).values_list("start", "end"))
        covered = list(article.meetings.order_by("start"))
        slugs = {item.get(name) for items in raw.values() for item in items for name in PERSON_SLUGS}
        slugs |= {slug for item in raw.get("quotes", []) for slug in item.get("co_speakers") or ()}
        people = {p.slug: p for p in Participant.objects.filter(slug__in=slugs - {None})}
        places = {
            p.slug: p for p in Place.objects.filter(slug__in={i.get("place") for i in raw.get("mentions", [])} - {None})
        }
        result = {kind: [] for kind in SUGGESTION_KINDS}
        for kind in SUGGESTION_KINDS:
            for item in raw.get(kind, []):
                item = dict(item)
                item["key"] = _suggestion_key(kind, item)
                span = (item.get("start"), item.get("end"))
                if item["key"] in dismissed:
                    continue
                if kind == "quotes":
                    if span in quoted:
                        continue
                    speaker = people.get(item.get("speaker"))
                    item["label"] = _name(speaker) or (
                        _("not in the records: %(name)s") % {"name": item["speaker_name"]}
                        if item.get("speaker_name")
                        else _("unknown speaker")
                    )
                    if people.get(item.get("addressee")):
                        item["label"] += _arrow() + _name(people[item["addressee"]])
                elif kind == "mentions":
                    if span in mentioned_spans:
                        continue
                    target = people.get(item.get("participant")) or places.get(item.get("place"))
                    if target is None:
                        continue  # names no record we hold
                    item["label"] = _name(target)
                    item["rank"] = _specificity(target)
                else:
                    if span in noted:
                        continue
                    item.update(_date_choice(item, covered))
                result[kind].append(item)
        result["mentions"] = _one_per_span(result["mentions"])
        known = {
            name.casefold()
            for name in Participant.objects.filter(
                name_ar__in=[p["text"] for p in raw.get("new_participants", [])]
            ).values_list("name_ar", flat=True)
        }
        result["new_participants"] = [
            {**p, "key": f"participant:{p['start']}:{p['end']}"}
            for p in raw.get("new_participants", [])
            if p["text"].casefold() not in known
        ]
        return result, people, places

    def suggestions_view(self, request, object_id):
        if request.method != "GET":
            return _bad_request(_("Use GET."), status=405)
        article, refusal = self._editable_article(request, object_id, "articles.add_mention")
        if refusal:
            return refusal
        suggestions, _people, _places = self._new_suggestions(request, article)
        return JsonResponse(suggestions)

    def _suggestion_data(self, kind, item, people, places):
        """The panel form's data for one suggestion (slugs resolved to ids)."""
        if kind == "mentions":
            prefix = "mention"
            data = {
                "participant": getattr(people.get(item.get("participant")), "pk", ""),
                "place": getattr(places.get(item.get("place")), "pk", ""),
            }
        elif kind == "quotes":
            prefix = "quote"
            data = {
                "speaker": getattr(people.get(item.get("speaker")), "pk", ""),
                "co_speakers": [people[slug].pk for slug in item.get("co_speakers") or () if slug in people],
                "addressee": getattr(people.get(item.get("addressee")), "pk", ""),
                "kind": item.get("kind") or Quote.Kind.DIRECT,
            }
        else:
            prefix = "note"
            # in the reader's words, with the ISO value a machine can read beside it
            when = _date_choice(item, ())["label"]
            data = {"note": _("Date: %(date)s") % {"date": f"{when} ({item['date']})" if item.get("date") else when}}
        data.update(start=item.get("start"), end=item.get("end"), text=item.get("text", ""))
        return prefix, {f"{prefix}-{name}": "" if value is None else value for name, value in data.items()}

    def accept_suggestions_view(self, request, object_id):
        """Accept suggestions: `{"items": [...]}`, each with its `type` (mentions, quotes or dates) beside the
        suggestion's own fields, or `{"type": "mentions", "all": true}` for all of one type."""
        if request.method != "POST":
            return _bad_request(_("Use POST."), status=405)
        try:
            payload = json.loads(request.body or b"{}")
            if not isinstance(payload, dict):
                raise ValueError
        except ValueError:
            return _bad_request(_("Send a JSON object."))
        kind = payload.get("type")
        items = payload.get("items")
        if items is None and (kind not in SUGGESTION_KINDS or payload.get("all") is not True):
            return _bad_request(_('Send "items", or a "type" (mentions, quotes or dates) with "all": true.'))
        if items is not None and (
            not isinstance(items, list)
            or not all(isinstance(i, dict) and i.get("type") in SUGGESTION_KINDS for i in items)
        ):
            return _bad_request(_('Each item needs a "type": mentions, quotes or dates.'))
        kinds = {kind} if items is None else {i["type"] for i in items}
        permission = {"mentions": "articles.add_mention", "quotes": "articles.add_quote", "dates": "articles.add_note"}
        article, refusal = self._editable_article(request, object_id, "articles.add_mention")
        if refusal:
            return refusal
        if not all(request.user.has_perm(permission[k]) for k in kinds):
            return _bad_request(_("You may not annotate this report."), status=403)
        fresh, people, places = self._new_suggestions(request, article)
        if items is None:
            items = [{**item, "type": kind} for item in fresh[kind]]
        else:
            slugs = {i.get(n) for i in items for n in PERSON_SLUGS if isinstance(i.get(n), str)}
            slugs |= {x for i in items if isinstance(i.get("co_speakers"), list) for x in i["co_speakers"]}
            slugs = {x for x in slugs if isinstance(x, str)}
            people.update({p.slug: p for p in Participant.objects.filter(slug__in=slugs - set(people))})
            place_slugs = {i.get("place") for i in items if isinstance(i.get("place"), str)}
            places.update({p.slug: p for p in Place.objects.filter(slug__in=place_slugs - set(places))})
        created, refused, dated = [], [], []
        # all in one transaction, each report refreshed once; each item saved on its own (a refused one is named)
        with transaction.atomic(), derived.batch():
            for item in items:
                use = item.get("use") if item["type"] == "dates" else None
                if use and use != "note":
                    outcome = self._use_date(request, article, item, use)
                    (refused if "errors" in outcome else dated).append(outcome)
                    continue
                prefix, data = self._suggestion_data(item["type"], item, people, places)
                obj, errors = self._create(request, article, prefix, data)
                if errors:
                    refused.append({"key": item.get("key") or _suggestion_key(item["type"], item), "errors": errors})
                else:
                    created.append(annotation_json(obj, admin_name=self.admin_site.name))
        return JsonResponse(
            {"created": created, "refused": refused, "dated": dated}, status=201 if created or dated else 200
        )

    def _use_date(self, request, article, item, use):
        """Set the report's publication date, or a covered meeting's, from an accepted date suggestion."""
        key = item.get("key") or _suggestion_key("dates", item)
        try:
            when = datetime.date.fromisoformat(str(item.get("date")))
        except ValueError:
            return {"key": key, "errors": {"date": [{"message": _("This date was not resolved."), "code": "date"}]}}
        try:
            if use == "published":
                actions.edit_article(article, user=request.user, values={"published": when})
                return {"key": key, "set": "published", "date": when.isoformat()}
            meeting = article.meetings.filter(slug=use.removeprefix("meeting:")).first()
            if not use.startswith("meeting:") or meeting is None:
                return {
                    "key": key,
                    "errors": {"use": [{"message": _("Not a meeting this report covers."), "code": "use"}]},
                }
            actions.set_meeting_date(meeting, start=when, user=request.user)
            return {"key": key, "set": use, "date": when.isoformat()}
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
            return {"key": key, "errors": {"__all__": [{"message": message, "code": "refused"}]}}

    def new_participant_view(self, request, object_id):
        """Create, in one step, a participant the toolkit found speaking but the records do not know:
        `{"name": "…as printed", "title": "…printed beside it"}`."""
        if request.method != "POST":
            return _bad_request(_("Use POST."), status=405)
        article, refusal = self._editable_article(request, object_id, "diplomacy.add_participant")
        if refusal:
            return refusal
        try:
            payload = json.loads(request.body or b"{}")
            name, title = payload.get("name"), payload.get("title") or ""
            if not isinstance(name, str) or not name.strip() or not isinstance(title, str):
                raise ValueError
        except (ValueError, AttributeError):
            return _bad_request(_('Send {"name": "…", "title": "…"}.'))
        try:
            participant = actions.create_participant(user=request.user, name_ar=name, description=title)
        except ValidationError as error:
            return _bad_request(_("The participant was not created."), _errors_json(error))
        return JsonResponse(
            {"slug": participant.slug, "label": _name(participant), "change_url": participant_admin_url(participant)},
            status=201,
        )

    def dismiss_suggestions_view(self, request, object_id):
        """Hide suggestions for this report in this editor's session: `{"keys": [...]}`."""
        if request.method != "POST":
            return _bad_request(_("Use POST."), status=405)
        article, refusal = self._editable_article(request, object_id, "articles.add_mention")
        if refusal:
            return refusal
        try:
            keys = json.loads(request.body or b"{}").get("keys")
        except (ValueError, AttributeError):
            keys = None
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            return _bad_request(_('Send {"keys": [...]}.'))
        dismissed = request.session.get(SESSION_DISMISSED, {})
        dismissed[str(article.pk)] = sorted(set(dismissed.get(str(article.pk), [])) | set(keys))
        request.session[SESSION_DISMISSED] = dismissed
        return JsonResponse({"dismissed": len(keys)})

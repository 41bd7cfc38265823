"""The evidence behind the record: which passages of which reports support a meeting's or an
agreement's fields, for the record's page ("according to …") and the API."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from articles.models import Evidence
from diplomacy.models import Meeting


@dataclass
class Supported:
    """One field of a record with its passages; none means it is the editors' own statement."""

    field: str
    label: str
    passages: list

    @property
    def editors_statement(self):
        return not self.passages


def record_fields(record):
    """The fields of `record` that can have evidence and have a value (or could: participants, parties)."""
    if isinstance(record, Meeting):
        fields = ["date", "participants"]
        if record.place_id:
            fields.insert(1, "place")
        return fields
    fields = [name for name in ("announced", "signed", "effective", "ended") if getattr(record, name)]
    return [*fields, "status", "parties"]


def according_to(record, user):
    """Each evidenced field of `record` with the passages `user` may read, oldest report first (one query)."""
    kind = "meeting" if isinstance(record, Meeting) else "agreement"
    rows = (
        Evidence.objects.visible_to(user)
        .filter(**{kind: record})
        .select_related("article", "article__source", "participant")
        .order_by("field", "article__published", "article_id", "start")
    )
    grouped = {name: [] for name in record_fields(record)}
    for row in rows:
        grouped.setdefault(row.field, []).append(row)
    return [Supported(name, Evidence.Field(name).label, passages) for name, passages in grouped.items()]


def link_evidence(article, *, text, field, meeting=None, agreement=None, participant=None, occurrence=0, user=None):
    """Link the `occurrence`-th passage `text` of `article` as evidence for `field` of a meeting or
    agreement; idempotent. Raises ValidationError (naming the problem) for a passage not in the body
    or a field the record does not have."""
    start = -1
    for _seen in range(occurrence + 1):
        start = article.body.find(text, start + 1)
        if start < 0:
            raise ValidationError(
                _("The passage %(text)s is not in the body of report %(id)s.") % {"text": text, "id": article.pk}
            )
    evidence = Evidence(
        article=article,
        start=start,
        end=start + len(text),
        text=text,
        field=field,
        meeting=meeting,
        agreement=agreement,
        participant=participant,
    )
    evidence.full_clean(validate_constraints=False)
    existing = Evidence.objects.filter(
        article=article,
        start=evidence.start,
        end=evidence.end,
        field=field,
        meeting=meeting,
        agreement=agreement,
        participant=participant,
    ).first()
    if existing is not None:
        return existing
    evidence._history_user = user
    evidence.save()
    return evidence

"""The evidence behind the record: which passages of which reports support a meeting's or an
agreement's fields, for the record's page ("according to …") and the API."""

from dataclasses import dataclass

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

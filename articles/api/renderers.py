"""Export formats: CSV (`?format=csv`), JSON Lines (`?format=jsonl`) and W3C Web Annotation JSON-LD.

A list asked for as CSV or JSON Lines is not paged: the view streams the
whole filtered set (see `ExportMixin` in views.py) through the row writers
below. The renderers exist so that content negotiation (`?format=` or an
`Accept` header) knows the formats, and so that the schema lists them.
"""

import json

from rest_framework import renderers

from articles.spreadsheets import BOM, csv_line


def flatten(row, prefix=""):
    """A JSON row as flat columns: nested objects as `a.b`, lists of values joined by "; "."""
    flat = {}
    for name, value in row.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{key}."))
        elif isinstance(value, list):
            if all(not isinstance(item, dict | list) for item in value):
                flat[key] = "; ".join("" if item is None else str(item) for item in value)
            else:
                flat[key] = json.dumps(value, ensure_ascii=False)
        else:
            flat[key] = value
    return flat


class CSVRows:
    """Writes flattened rows as CSV text, header first, with a byte-order mark so spreadsheets read UTF-8."""

    def __init__(self, columns):
        self.columns = columns

    def header(self):
        return BOM + csv_line(self.columns)

    def rows(self, rows):
        return "".join(csv_line([flatten(row).get(c) for c in self.columns]) for row in rows)


def jsonl_rows(rows):
    return "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":"), default=str) + "\n" for row in rows)


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Errors and single records reach here; lists are streamed by the view.
        if data is None:
            return b""
        rows = data.get("results", [data]) if isinstance(data, dict) else list(data)
        columns = []
        for row in rows:
            columns.extend(c for c in flatten(row) if c not in columns)
        writer = CSVRows(columns)
        return (writer.header() + writer.rows(rows)).encode("utf-8")


class JSONLinesRenderer(renderers.BaseRenderer):
    media_type = "application/x-ndjson"
    format = "jsonl"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows = data.get("results", [data]) if isinstance(data, dict) else list(data)
        return jsonl_rows(rows).encode("utf-8")


class JSONLDRenderer(renderers.JSONRenderer):
    """W3C Web Annotation Data Model, JSON-LD serialisation."""

    # The profile parameter goes on the answer's Content-Type (see ANNOTATION_CONTENT_TYPE), not here:
    # DRF would then match this renderer only to Accept headers naming that exact profile.
    media_type = "application/ld+json"
    format = "jsonld"


ANNOTATION_CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


class PlainTextRenderer(renderers.BaseRenderer):
    """A string as it is, UTF-8: an article's body at the address its annotations target."""

    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode(self.charset)

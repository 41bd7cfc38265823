"""Cursor pagination for every list: a keyset on the list's ordering, ending with the primary key.

DRF's own `CursorPagination` keeps only the first ordering field in the cursor
and walks ties with an offset, and it cannot order by a column that may be
NULL (an article's publication date may be unknown). Here the cursor holds the
whole sort key of the last row shown, so the next page is
"rows after this key" — stable while records are added or removed, one
query a page, and the same cost on page 1 and page 10 000.

Ranked search results (`q` without `ordering`) seek the same way on
(rank, publication date, id): the rank is computed for each query, not
stored, but it is an expression the next page can compare with, so a search
is walked as stably, and as deep, as any list.

A cursor is base64url-encoded JSON. One that cannot be decoded, or that was
made for another ordering, answers 400 with a message, never 404 or 500.
"""

import base64
import binascii
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, IntegerField, Q
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Sort keys that are not model fields: the search rank (a small whole number, see articles.search).
COMPUTED_KEYS = {"search_rank": IntegerField()}


@dataclass(frozen=True)
class Key:
    """One column of a sort key: the field, its direction, and whether it may be NULL (NULLs sort last)."""

    field: str
    descending: bool = False
    nullable: bool = False

    @classmethod
    def parse(cls, spec, nullable=()):
        field = spec.lstrip("-")
        return cls(field=field, descending=spec.startswith("-"), nullable=field in nullable)

    def order_by(self, reverse=False):
        """NULLs last going forward; going back (for a `previous` page) the whole order is mirrored."""
        expression = F(self.field)
        if reverse:
            return expression.asc(nulls_first=True) if self.descending else expression.desc(nulls_first=True)
        return expression.desc(nulls_last=True) if self.descending else expression.asc(nulls_last=True)


def _after(keys, values, reverse):
    """The condition "sorts after `values`" for `keys` (before, when `reverse`), NULLs last."""
    if not keys:
        return Q(pk__in=[])  # an equal key is not "after": the last column is the unique primary key
    key, value = keys[0], values[0]
    descending = key.descending != reverse
    nulls_after = not reverse  # NULLs sort last going forward, so they come first going back
    if value is None:
        strictly = Q(pk__in=[]) if nulls_after else Q(**{f"{key.field}__isnull": False})
        equal = Q(**{f"{key.field}__isnull": True})
    else:
        strictly = Q(**{f"{key.field}__{'lt' if descending else 'gt'}": value})
        if key.nullable and nulls_after:
            strictly |= Q(**{f"{key.field}__isnull": True})
        equal = Q(**{key.field: value})
    return strictly | (equal & _after(keys[1:], values[1:], reverse))


class ArchiveCursorPagination(BasePagination):
    """`?cursor=…&page_size=…`; the answer is `{"results": [...], "next": url|null, "previous": url|null}`.

    `page_size` is 1 to 100 (default 20); a larger, smaller or non-numeric
    value is refused with 400, so a client never silently gets fewer rows
    than it asked for.
    """

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = None
        if size is None or not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("page_size must be a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def decode_cursor(self, request):
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None or raw == "":
            return None
        try:
            padded = raw + "=" * (-len(raw) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
        except (UnicodeError, ValueError, binascii.Error):
            data = None
        if not isinstance(data, dict):
            raise ValidationError({self.cursor_query_param: [_("This cursor is not valid; start again from page 1.")]})
        return data

    @staticmethod
    def encode_cursor(data):
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")

    def link(self, data):
        # Built from the decoded parameters, not the raw query string, so that non-ASCII values
        # (an Arabic `q`) are percent-encoded once, whatever the client sent.
        params = self.request.query_params.copy()
        params.pop(self.cursor_query_param, None)
        if data is not None:
            params[self.cursor_query_param] = self.encode_cursor(data)
        base = self.request.build_absolute_uri(self.request.path)
        return f"{base}?{params.urlencode()}" if params else base

    def refuse(self, message=None):
        raise ValidationError(
            {
                self.cursor_query_param: [
                    message or _("This cursor is not valid for this list; start again from page 1.")
                ]
            }
        )

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size_value = self.get_page_size(request)
        cursor = self.decode_cursor(request)
        if view is None:
            keys, name = [Key("pk")], "pk"
        else:
            keys, name = view.get_ordering_keys(), view.get_ordering_name()
        return self.paginate_by_key(queryset, cursor, keys, name)

    # Keyset pages ---------------------------------------------------------------------------------

    def paginate_by_key(self, queryset, cursor, keys, ordering_name):
        model = queryset.model
        values, reverse = None, False
        if cursor is not None:
            if cursor.get("o") != ordering_name or not isinstance(cursor.get("k"), list):
                self.refuse()
            values = self.parse_values(model, keys, cursor["k"])
            reverse = cursor.get("r") is True
        queryset = queryset.order_by(*(key.order_by(reverse) for key in keys))
        if values is not None:
            queryset = queryset.filter(_after(keys, values, reverse))
        rows = list(queryset[: self.page_size_value + 1])
        has_more = len(rows) > self.page_size_value
        rows = rows[: self.page_size_value]
        if reverse:
            rows.reverse()
        self.next_data = self.previous_data = None
        if rows:
            # Going forward there is a next page when a row was left over; coming back there always is.
            if has_more or reverse:
                self.next_data = {"o": ordering_name, "k": self.key_of(rows[-1], keys)}
            # Coming back, a short fetch means this is the first page; going forward any cursor had one before.
            if (reverse and has_more) or (not reverse and cursor is not None):
                self.previous_data = {"o": ordering_name, "k": self.key_of(rows[0], keys), "r": True}
        elif cursor is not None and not reverse:
            # Past the end (the last rows were deleted meanwhile): offer the way back.
            self.previous_data = {"o": ordering_name, "k": cursor["k"], "r": True}
        return rows

    @staticmethod
    def key_of(row, keys):
        values = []
        for key in keys:
            value = getattr(row, key.field)
            values.append(value.isoformat() if hasattr(value, "isoformat") else value)
        return values

    def parse_values(self, model, keys, raw_values):
        if len(raw_values) != len(keys):
            self.refuse()
        values = []
        for key, raw in zip(keys, raw_values, strict=True):
            if raw is None:
                if not key.nullable:
                    self.refuse()
                values.append(None)
                continue
            if not isinstance(raw, str | int) or isinstance(raw, bool) or "\x00" in str(raw) or len(str(raw)) > 1000:
                self.refuse()
            field = COMPUTED_KEYS.get(key.field) or model._meta.get_field("id" if key.field == "pk" else key.field)
            try:
                value = field.to_python(raw)
            except (DjangoValidationError, ValueError, TypeError, OverflowError):
                self.refuse()
            if isinstance(value, int) and not -(2**63) < value < 2**63:
                self.refuse()
            values.append(value)
        return values

    # Answer ---------------------------------------------------------------------------------------

    def get_next_link(self):
        return None if self.next_data is None else self.link(self.next_data)

    def get_previous_link(self):
        if self.previous_data is None:
            return None
        return self.link(self.previous_data)

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.get_next_link(), "previous": self.get_previous_link()})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "next", "previous"],
            "properties": {
                "results": schema,
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                    "example": "https://archive.example.org/api/v1/articles/?cursor=eyJvIjoiLXB1Ymxpc2hlZCJ9",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous page, or null on the first page.",
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "An opaque position from a `next` or `previous` link; do not build it yourself.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows a page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}); "
                "a value outside that range is refused with 400.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
                "example": 50,
            },
        ]

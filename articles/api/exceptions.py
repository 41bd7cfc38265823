"""Every error the API gives has one JSON shape (docs/api.md, and `Error` in the schema):

    {"status": 400, "code": "invalid", "message": "…", "fields": {"end": ["…"]}}

`message` is one sentence for a person; `fields` maps each bad field or
parameter to its messages (empty when the error is not about one field;
`non_field_errors` when it is about several together).
"""

import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from articles.actions import SpanConflict

logger = logging.getLogger(__name__)


def _flatten(detail):
    """DRF error details (nested dicts and lists of ErrorDetail) as plain strings, keyed by field."""
    if isinstance(detail, dict):
        fields = {}
        for name, value in detail.items():
            if isinstance(value, dict):
                for inner, messages in _flatten(value).items():
                    fields[f"{name}.{inner}"] = messages
            else:
                fields[str(name)] = _messages(value)
        return fields
    return {"non_field_errors": _messages(detail)}


def _messages(value):
    if isinstance(value, list | tuple):
        out = []
        for item in value:
            if isinstance(item, dict):
                out.extend(f"{k}: {m}" for k, msgs in _flatten(item).items() for m in msgs)
            else:
                out.extend(_messages(item))
        return out
    return [str(value)]


def _code(exc):
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return exceptions.ValidationError.default_code if isinstance(exc, exceptions.ValidationError) else "error"


def error_body(status_code, code, message, fields=None):
    return {"status": status_code, "code": code, "message": str(message), "fields": fields or {}}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The report changed while this was written; read it again and retry.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")  # the handler names the limit
    default_code = "too_large"


class DatabaseUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = gettext_lazy("The archive's database cannot be reached; try again in a minute.")
    default_code = "unavailable"


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = PayloadTooLarge(_("The request body is larger than %(limit)s bytes.") % {"limit": limit})
    elif isinstance(exc, OperationalError | InterfaceError):
        # The database is down or refused the connection: a client should retry, not report a bug.
        logger.error("API request failed: database unavailable (%s)", exc)
        exc = DatabaseUnavailable()
        response = drf_exception_handler(exc, context)
        response["Retry-After"] = "60"
        response.data = error_body(response.status_code, exc.default_code, exc.detail)
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, SpanConflict):
        exc = Conflict()
    elif isinstance(exc, DjangoValidationError):  # an action refused the write: the model's own messages
        exc = exceptions.ValidationError(
            {
                ("non_field_errors" if name == NON_FIELD_ERRORS else name): messages
                for name, messages in exc.message_dict.items()
            }
            if hasattr(exc, "error_dict")
            else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = _("Some values are not valid; see fields.")
        if list(fields) == ["non_field_errors"] and len(fields["non_field_errors"]) == 1:
            message = fields["non_field_errors"][0]
        response.data = error_body(response.status_code, "invalid", message, fields)
    else:
        detail = exc.detail if isinstance(exc.detail, str) else _messages(exc.detail)[0]
        response.data = error_body(response.status_code, _code(exc), detail)
    return response


@csrf_exempt  # it writes nothing; an unsafe method here must still get the JSON 404, not a CSRF page
def not_found(request, *args, **kwargs):
    """Unknown addresses under /api/v1/ answer in the same shape rather than with an HTML page."""
    return JsonResponse(
        error_body(status.HTTP_404_NOT_FOUND, "not_found", _("There is no API resource at this address.")),
        status=status.HTTP_404_NOT_FOUND,
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )

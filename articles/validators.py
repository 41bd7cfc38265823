"""Checks on values from outside that more than one way in needs: the model fields, the importers,
and the output of every link made from data.

Only `http` and `https` addresses are accepted anywhere: a `javascript:` or
`data:` address stored as a report's "original page" would run in a reader's
browser when followed. Django's own URLValidator also accepts `ftp`, which
browsers no longer open.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")
_web_url = URLValidator(schemes=list(WEB_SCHEMES))


def validate_web_address(value):
    """Refuse anything but an absolute http(s) address (the model fields' validator)."""
    try:
        _web_url(value)
    except ValidationError:
        raise ValidationError(
            _("Enter a web address that starts with http:// or https://."), code="invalid_web_address"
        ) from None


def is_web_address(value):
    """True for an address `validate_web_address` accepts; links rendered from data ask this first."""
    if not isinstance(value, str) or not value:
        return False
    try:
        validate_web_address(value)
    except ValidationError:
        return False
    return True


# The longest report the archive keeps, in characters. Printed reports run to tens of thousands;
# a body of megabytes is a mistake or an attack, and would outgrow the search index's entry.
BODY_MAX_LENGTH = 500_000
validate_body_length = MaxLengthValidator(BODY_MAX_LENGTH)

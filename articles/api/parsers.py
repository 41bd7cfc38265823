"""The API's JSON parser: DRF's, with the two limits a request body must keep.

DRF reads a JSON body straight from the socket, past Django's
`DATA_UPLOAD_MAX_MEMORY_SIZE`, and Python's `json` recurses once per bracket,
so 100,000 nested brackets raised RecursionError (a 500). Here a body larger
than the limit is refused (413) and one nested too deep is refused (400), both
in the API's error shape (articles/api/exceptions.py).
"""

import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise RequestDataTooBig()
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None

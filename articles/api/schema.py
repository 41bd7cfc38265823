"""Finishing touches on the generated OpenAPI document (drf-spectacular post-processing hook)."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error answer has this shape.",
    "required": ["status", "code", "message", "fields"],
    "properties": {
        "status": {"type": "integer", "example": 400},
        "code": {"type": "string", "example": "invalid"},
        "message": {"type": "string", "example": "Some values are not valid; see fields."},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"end": ["A passage must end after it starts."]},
        },
    },
}

TEXT_MEDIA_TYPES = {"text/csv", "application/x-ndjson"}


def postprocess(result, generator, request, public):
    """Exports are text, not the JSON page; every operation documents its error answers."""
    add_intro_and_formats(result)
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for answer in responses.values():
                for media_type, content in answer.get("content", {}).items():
                    if media_type in TEXT_MEDIA_TYPES:
                        content["schema"] = {"type": "string"}
            codes = ["400", "401", "403", "404", "429"]
            if method in {"put", "patch", "delete"}:
                codes.append("412")
            if path.endswith("/suggestions/"):
                codes.append("503")
            if method in {"get", "head"}:
                codes.append("304" if "{" in path else None)
            for code in filter(None, codes):
                if code in responses:
                    continue
                if code == "304":
                    responses[code] = {"description": "Not modified (the ETag in If-None-Match still matches)."}
                else:
                    responses[code] = {
                        "description": ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": error}},
                    }
    return result


ERROR_DESCRIPTIONS = {
    "400": "A parameter or a field is not valid; `fields` says which and why.",
    "401": "Not signed in (session or `Authorization: Token …`), and this needs it.",
    "403": "Signed in, but without the permission this needs.",
    "404": "No such record, or not one you may see (drafts are not public).",
    "412": "If-Match named a version that is no longer current.",
    "429": "Too many requests from an anonymous client; wait and retry (see Retry-After).",
    "503": "The service behind this endpoint is not available on this server.",
}


INTRO = """\
The Diplomacy Archive's record as JSON: reports of Middle East diplomacy as printed (Arabic first),
the quotes and mentions editors marked in them, and the participants, meetings and agreements they cover.

**Reading.** Anyone may read published reports and their annotations, and the part of the
diplomatic record they reach (people, meetings, agreements, places, topics and sources that a
published report covers or names); drafts, reports in review and withdrawn reports, and records
known only from them, answer 404 to clients without the editors' `articles.view_draft` permission,
as an unknown id or slug does. Editors' notes are for editors only.

**Lists** answer `{"results": [...], "next": url|null, "previous": url|null}`. Follow `next`; the
cursor in it is opaque. `page_size` is 1 to 100 (default 20): a larger value is refused with 400,
never silently capped. `ordering` takes one of the names each list documents. With `q` (articles),
results come best match first, then newest; the cursor seeks on the rank like on any sort key.

**Exports.** Any list with `?format=csv` (UTF-8 with a byte-order mark, one row a record, nested
fields as `parent.child` columns, lists joined by `; `) or `?format=jsonl` (JSON Lines) streams the
*whole* filtered set, not a page. `/articles/{id}/annotations/` gives a report's quotes and mentions
as a W3C Web Annotation collection (JSON-LD).

**Writing.** Editors' tools sign in with a session (and CSRF token) or with
`Authorization: Token <key>` (POST username and password to `/api/v1/auth/token/`). A passage
(quote, mention, note) is `start`/`end` in code points into the article's body, and its `text` must
equal `body[start:end]`; dates must be in order. Publishing or withdrawing an article needs the
reviewers' `articles.publish_article` permission; editors may move a draft to `in_review`.

**Conditional requests.** Detail answers carry an `ETag`; send it back in `If-None-Match` for a
304, or in `If-Match` on PUT/PATCH/DELETE to refuse the write (412) if someone changed the record.

**Errors** always have the shape of the `Error` component:
`{"status": 400, "code": "invalid", "message": "…", "fields": {"end": ["…"]}}`.
Anonymous clients are throttled (429 with `Retry-After`)."""

FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "`csv` or `jsonl` streams the whole filtered set instead of a page of JSON.",
    "schema": {"type": "string", "enum": ["json", "csv", "jsonl"]},
}


PATH_PARAMETER_DESCRIPTIONS = {
    "id": "The record's numeric id.",
    "slug": "The record's slug (ASCII letters, digits, - and _), as in `kerry` or `syria-war`.",
}


def describe_parameters(result):
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            listing = method == "get" and "{" not in path
            for parameter in operation.get("parameters", []):
                if parameter.get("description"):
                    continue
                if parameter["name"] == "format":
                    parameter["description"] = (
                        FORMAT_PARAMETER["description"]
                        if listing
                        else "The answer's format; JSON unless CSV or JSON Lines is asked for."
                    )
                elif parameter["in"] == "path":
                    parameter["description"] = PATH_PARAMETER_DESCRIPTIONS.get(parameter["name"], "")


def add_intro_and_formats(result):
    result.setdefault("info", {})["description"] = INTRO
    describe_parameters(result)
    for path, operations in result.get("paths", {}).items():
        get = operations.get("get")
        if get is None or "{" in path or not get.get("operationId", "").endswith("_list"):
            continue
        parameters = get.setdefault("parameters", [])
        if not any(p.get("name") == "format" for p in parameters):
            parameters.append(FORMAT_PARAMETER)

"""The OpenAPI document: who may call what (`ArchiveAutoSchema`), and finishing touches on the
generated document (the drf-spectacular post-processing hook `postprocess`).

The schema is read by generators (openapi-python-client), fuzzers (schemathesis) and linters
(Redocly), so it keeps to rules they rely on: identifiers and titles are ASCII in every language
(generators turn them into names; only descriptions are translated), a nullable field says its type,
every example matches its own schema, and public reads name anonymous access as an option.
"""

import json

from drf_spectacular.openapi import AutoSchema
from rest_framework import permissions


class ArchiveAutoSchema(AutoSchema):
    def get_auth(self):
        """Calls anyone may make list "no credentials" as an option beside token and session: reads
        of the public record, and asking for a token (a view with no permission to check)."""
        auths = super().get_auth()
        checks = self.view.get_permissions()
        anonymous_reads = (permissions.DjangoModelPermissionsOrAnonReadOnly, permissions.IsAuthenticatedOrReadOnly)
        reads = self.method in permissions.SAFE_METHODS and all(isinstance(p, anonymous_reads) for p in checks)
        if {} not in auths and (not checks or reads):
            auths.append({})
        return auths


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
    result["servers"] = [{"url": "/", "description": "This archive (the schema's own host)."}]
    summarise_writes(result)
    drop_titles(result)
    type_nullable_references(result.get("components", {}).get("schemas", {}))
    unicode_slug_patterns(result)
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
            if method in {"post", "put", "patch"}:
                responses["400"]["description"] = WRITE_400_DESCRIPTION
    drop_unused_components(result)
    return result


WRITE_400_DESCRIPTION = (
    "A field is not valid, or the request is well formed but the archive's data refuses it: a slug "
    "already taken, a related slug or article id that does not exist, a title and body already in "
    "the archive, a passage whose `text` is not the body between `start` and `end`, wrong credentials. "
    "`fields` says which and why."
)

WRITE_SUMMARIES = {
    "post": "Add {a}",
    "put": "Replace {a}",
    "patch": "Change some fields of {a}",
    "delete": "Delete {a}",
}

RESOURCE_NAMES = {
    "articles": "a report",
    "quotes": "a quote",
    "mentions": "a mention",
    "notes": "a note",
    "participants": "a participant",
    "meetings": "a meeting",
    "agreements": "an agreement",
    "auth": "an API token (from a username and password)",
}


def summarise_writes(result):
    """Every operation has a summary (Redoc and generators show it); writes get one from their resource."""
    for path, operations in result.get("paths", {}).items():
        resource = path.removeprefix("/api/v1/").split("/")[0]
        for method, operation in operations.items():
            if method in WRITE_SUMMARIES and not operation.get("summary"):
                summary = WRITE_SUMMARIES[method].format(a=RESOURCE_NAMES.get(resource, "a record"))
                operation["summary"] = summary if resource == "auth" else f"{summary} (editors)"


def drop_titles(result):
    """Titles come from verbose names, so they are translated; generators make class names of them
    (`ArticlesListالحالة`). Descriptions carry the words; names stay the ASCII component names."""
    for schema in result.get("components", {}).get("schemas", {}).values():
        _drop_titles(schema)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _drop_titles(parameter.get("schema"))


def _drop_titles(schema):
    if not isinstance(schema, dict):
        return
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():  # a property may be *named* "title"
        _drop_titles(prop)
    for key in ("items", "additionalProperties"):
        _drop_titles(schema.get(key))
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            _drop_titles(part)


# Django's Unicode slug, `^[-\w]+$`, means any script's letters to Python; to the ECMA-262 regular
# expressions of JSON Schema validators and generators `\w` is ASCII only, so a source named in
# Arabic (`الشرق-الأوسط`) broke its own schema. The same rule for them: ASCII word characters and
# hyphens, and every non-ASCII character but surrogates and noncharacters (letters of any script;
# the server itself refuses what is not a letter or digit, with a 400 the schema declares).
UNICODE_SLUG = r"^[-\w]+$"
# escaped (`\uXXXX`, which ECMA-262, Python and Rust regular expressions all read): names stay ASCII
UNICODE_SLUG_ECMA = r"^[-\w\u0080-\uD7FF\uE000-\uFDCF\uFDF0-\uFFFD]+$"


def unicode_slug_patterns(result):
    """Every Unicode slug pattern of the schema (parameters and components) in its ECMA-262 form."""

    def visit(node):
        if isinstance(node, dict):
            if node.get("pattern") == UNICODE_SLUG:
                node["pattern"] = UNICODE_SLUG_ECMA
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)


def type_nullable_references(schemas):
    """OpenAPI 3.0 says `nullable` only beside `type`: a nullable nested object gets `type: object`."""
    for schema in schemas.values():
        for prop in schema.get("properties", {}).values():
            if prop.get("nullable") and "type" not in prop and "allOf" in prop:
                prop["type"] = "object"


def drop_unused_components(result):
    """A component no operation reaches (a request shape DRF makes for a read-only nested list)."""
    schemas = result.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps({k: v for k, v in result.items() if k != "components"}, default=str) + json.dumps(
            schemas, default=str
        )
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return
        for name in unused:
            del schemas[name]


ERROR_DESCRIPTIONS = {
    "400": "A parameter or a field is not valid, or names what the archive does not hold (an unknown slug, "
    "a `cursor` this API did not make); `fields` says which and why. An empty value is the same as none.",
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
never silently capped. An empty parameter (`?kind=`, as an HTML form sends it) is the same as
leaving it out; any other value that is not valid answers 400 naming the parameter. `ordering`
takes one of the names each list documents. With `q` (articles), results come best match first,
then newest; the cursor seeks on the rank like on any sort key.

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
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":  # on reads and writes alike: the server reads no other rule
                    parameter["allowEmptyValue"] = True  # `?kind=` is the same as no `kind`


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

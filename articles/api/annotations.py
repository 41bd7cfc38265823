"""An article's quotes and mentions as a W3C Web Annotation collection (JSON-LD).

https://www.w3.org/TR/annotation-model/ — each quote and mention is an
Annotation whose target is the article's body, located twice: by code-point
offsets (TextPositionSelector, our `start`/`end`) and by the words with some
context (TextQuoteSelector), so a reader can re-anchor it in a copy of the text.

Every address here serves what it names. The target's source is
`articles/{id}/text/`, which serves exactly the body (text/plain, UTF-8), so
the offsets hold for any client that fetches it; an annotation's id is
`articles/{id}/annotations/quote-{pk}/` (or `mention-`), which serves that
annotation; the collection's one page is `annotations/?page=1`, part of the
collection.
"""

from django.urls import reverse

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32


class Links:
    """Absolute API addresses, one reversed prefix a kind of record."""

    def __init__(self, request):
        self.request = request
        self.prefixes = {}

    def __call__(self, view_name, value):
        if view_name not in self.prefixes:
            lookup = "pk" if view_name in {"article-detail", "quote-detail", "mention-detail"} else "slug"
            path = reverse(f"api:{view_name}", kwargs={lookup: "0"})
            self.prefixes[view_name] = self.request.build_absolute_uri(path)[:-2]
        return f"{self.prefixes[view_name]}{value}/"


def _target(text, body, span):
    return {
        "source": text,
        "selector": [
            {"type": "TextPositionSelector", "start": span.start, "end": span.end},
            {
                "type": "TextQuoteSelector",
                "exact": span.text,
                "prefix": body[max(0, span.start - CONTEXT_CHARS) : span.start],
                "suffix": body[span.end : span.end + CONTEXT_CHARS],
            },
        ],
    }


def _identifying(url, purpose="identifying"):
    return {"type": "SpecificResource", "source": url, "purpose": purpose}


def quote_annotation(quote, text, body, link):
    bodies = [{"type": "TextualBody", "purpose": "classifying", "value": f"{quote.kind} quote", "language": "en"}]
    if quote.speaker_id:
        bodies.append(_identifying(link("participant-detail", quote.speaker.slug)))
    if quote.addressee_id:
        bodies.append(_identifying(link("participant-detail", quote.addressee.slug), "linking"))
    if quote.meeting_id:
        bodies.append(_identifying(link("meeting-detail", quote.meeting.slug), "linking"))
    if quote.translation_en:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "describing",
                "value": quote.translation_en,
                "language": "en",
                "format": "text/plain",
            }
        )
    return {
        "id": f"{text['annotations']}quote-{quote.pk}/",
        "type": "Annotation",
        "motivation": "describing",
        "created": quote.created_at.isoformat(),
        "modified": quote.updated_at.isoformat(),
        "body": bodies,
        "target": _target(text["resource"], body, quote),
    }


MENTION_VIEWS = {
    "participant": "participant-detail",
    "place": "place-detail",
    "meeting": "meeting-detail",
    "agreement": "agreement-detail",
}


def mention_annotation(mention, text, body, link):
    bodies = [
        _identifying(link(view, getattr(mention, name).slug))
        for name, view in MENTION_VIEWS.items()
        if getattr(mention, f"{name}_id")
    ]
    return {
        "id": f"{text['annotations']}mention-{mention.pk}/",
        "type": "Annotation",
        "motivation": "identifying",
        "created": mention.created_at.isoformat(),
        "modified": mention.updated_at.isoformat(),
        "body": bodies,
        "target": _target(text["resource"], body, mention),
    }


def _addresses(article, link):
    article_url = link("article-detail", article.pk)
    return {
        "annotations": f"{article_url}annotations/",
        # The body as a resource: what the offsets count into, served as exactly that text.
        "resource": {
            "id": f"{article_url}text/",
            "type": "Text",
            "format": "text/plain",
            "language": article.language,
        },
    }


def _items(article, text, link):
    items = [quote_annotation(q, text, article.body, link) for q in article.quotes.all()]
    return items + [mention_annotation(m, text, article.body, link) for m in article.mentions.all()]


def _page(collection_id, items):
    return {
        "id": f"{collection_id}?page=1",
        "type": "AnnotationPage",
        "partOf": collection_id,
        "startIndex": 0,
        "items": items,
    }


def annotation_collection(article, request):
    """The collection for `article`, whose `quotes` and `mentions` are prefetched with their targets."""
    link = Links(request)
    text = _addresses(article, link)
    items = _items(article, text, link)
    collection_id = text["annotations"]
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": article.title,
        "total": len(items),
        "first": _page(collection_id, items),
    }


def annotation_page(article, request):
    """The collection's only page, on its own: every annotation, and the collection it is part of."""
    link = Links(request)
    text = _addresses(article, link)
    collection_id = text["annotations"]
    page = _page(collection_id, _items(article, text, link))
    page["partOf"] = {"id": collection_id, "type": "AnnotationCollection", "label": article.title}
    return {"@context": CONTEXT, **page}


def single_annotation(article, request, kind, pk):
    """One quote (`kind` "quote") or mention of `article` as an Annotation, or None if it has none such."""
    link = Links(request)
    text = _addresses(article, link)
    if kind == "quote":
        found = [quote_annotation(q, text, article.body, link) for q in article.quotes.all() if q.pk == pk]
    else:
        found = [mention_annotation(m, text, article.body, link) for m in article.mentions.all() if m.pk == pk]
    return {"@context": CONTEXT, **found[0]} if found else None


def span_annotation(span, request):
    """One quote or mention as a stand-alone Web Annotation (with its JSON-LD context), at its own address."""
    link = Links(request)
    text = _addresses(span.article, link)
    build = quote_annotation if span._meta.model_name == "quote" else mention_annotation
    return {"@context": CONTEXT, **build(span, text, span.article.body, link)}

"""An article's quotes and mentions as a W3C Web Annotation collection (JSON-LD).

https://www.w3.org/TR/annotation-model/ — each quote and mention is an
Annotation whose target is the article's body, located twice: by code-point
offsets (TextPositionSelector, our `start`/`end`) and by the words with some
context (TextQuoteSelector), so a reader can re-anchor it in a copy of the text.
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


def _target(article_url, body, span):
    return {
        "source": article_url,
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


def quote_annotation(quote, article_url, body, link):
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
        "id": link("quote-detail", quote.pk),
        "type": "Annotation",
        "motivation": "describing",
        "created": quote.created_at.isoformat(),
        "modified": quote.updated_at.isoformat(),
        "body": bodies,
        "target": _target(article_url, body, quote),
    }


MENTION_VIEWS = {
    "participant": "participant-detail",
    "place": "place-detail",
    "meeting": "meeting-detail",
    "agreement": "agreement-detail",
}


def mention_annotation(mention, article_url, body, link):
    bodies = [
        _identifying(link(view, getattr(mention, name).slug))
        for name, view in MENTION_VIEWS.items()
        if getattr(mention, f"{name}_id")
    ]
    return {
        "id": link("mention-detail", mention.pk),
        "type": "Annotation",
        "motivation": "identifying",
        "created": mention.created_at.isoformat(),
        "modified": mention.updated_at.isoformat(),
        "body": bodies,
        "target": _target(article_url, body, mention),
    }


def annotation_collection(article, request):
    """The collection for `article`, whose `quotes` and `mentions` are prefetched with their targets."""
    link = Links(request)
    article_url = link("article-detail", article.pk)
    items = [quote_annotation(q, article_url, article.body, link) for q in article.quotes.all()]
    items += [mention_annotation(m, article_url, article.body, link) for m in article.mentions.all()]
    collection_id = f"{article_url}annotations/"
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": article.title,
        "total": len(items),
        "first": {"id": f"{collection_id}#page-1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def single_annotation(span, request):
    """One quote or mention as a stand-alone Web Annotation (with its JSON-LD context)."""
    link = Links(request)
    article_url = link("article-detail", span.article_id)
    build = quote_annotation if span._meta.model_name == "quote" else mention_annotation
    return {"@context": CONTEXT, **build(span, article_url, span.article.body, link)}

"""Full-text search over the archive: one service for the public pages and the API.

This first version matches the normalised query words as substrings of the
normalised title and body; the search issue replaces it with a real index.
The interface is what callers rely on:

- `search(queryset, q)` returns `queryset` narrowed to the reports matching `q`,
  best match first, or raises `QueryError` with a message for the user.
- `snippet(article, q)` returns a short passage as safe HTML with the matched
  words in `<mark>`, in their original spelling.
"""

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.arabic import normalize

MAX_QUERY_LENGTH = 500


class QueryError(ValueError):
    """A query that cannot be run; the message says why, for the user."""


def terms(q):
    if "\x00" in q:
        raise QueryError("The query contains a NUL character.")
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is longer than {MAX_QUERY_LENGTH} characters.")
    return [word for word in normalize(q).split() if any(ch.isalnum() for ch in word)]


def search(queryset, q):
    words = terms(q)
    if not words:
        return queryset.none()
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(body__icontains=word)
    return queryset.filter(condition)


def snippet(article, q, length=240):
    words = terms(q)
    body = article.body
    norm = normalize(body)
    first = min((i for i in (norm.find(w) for w in words) if i >= 0), default=0)
    start = max(0, first - length // 3)
    passage = body[start : start + length]
    html = escape(passage)
    for word in sorted(set(words), key=len, reverse=True):
        if word in passage:
            html = html.replace(escape(word), f"<mark>{escape(word)}</mark>")
    return mark_safe(("…" if start else "") + html + ("…" if start + length < len(body) else ""))

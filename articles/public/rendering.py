"""The report as printed, as HTML: each printed line with its quotes and mentions wrapped in place."""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.display import is_arabic, is_subheading, local_name


def _mention_open(mention):
    target = mention.target
    label = local_name(target)
    url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    kind = next(name for name in mention.TARGETS if getattr(mention, name) is not None)
    if url:
        return format_html(
            '<a class="mention mention-{}" href="{}" title="{}" data-mention="{}">', kind, url, label, mention.pk
        )
    return format_html('<span class="mention mention-{}" title="{}" data-mention="{}">', kind, label, mention.pk)


def _mention_close(mention):
    return "</a>" if hasattr(mention.target, "get_absolute_url") else "</span>"


def _quote_open(quote):
    return format_html('<span class="quote quote-{}" id="quote-{}">', quote.kind, quote.pk)


def _quote_after(quote):
    """A small tag after the quote naming its speaker, linked to their page: not part of the print."""
    if quote.speaker is None:
        return format_html('<span class="speaker speaker-unknown">{}</span>', _("speaker unknown"))
    name = local_name(quote.speaker)
    return format_html(
        '<a class="speaker" href="{}" aria-label="{}">{}</a>',
        quote.speaker.get_absolute_url(),
        _("quote from %(name)s") % {"name": name},
        name,
    )


_CLOSING_MARKS = "”“»\"'"
_TRAILING_PUNCTUATION = ".,،;؛:!?؟…)"


def _render_paragraph(text, offset, spans, notes):
    """HTML for one printed line, with `spans` (start, end, rank, open, close) wrapped and the
    `notes` (position, html) inserted, both in body offsets.

    Spans are clipped to the line. Properly nested spans (a name inside a quote) nest; a span that
    crosses another is closed and reopened around it, so the HTML is always well formed.
    """
    end_of_line = offset + len(text)
    events = {offset, end_of_line}
    live = []
    for span in spans:
        start, end = max(span[0], offset), min(span[1], end_of_line)
        if start < end:
            live.append((start, end, *span[2:]))
            events.update((start, end))
    inserts = {}
    for position, html in notes:
        if offset < position <= end_of_line:
            inserts.setdefault(position, []).append(html)
            events.add(position)
    if not live and not inserts:
        return escape(text)
    points = sorted(events)
    out = []
    stack = []  # spans open now, outermost first
    for i, point in enumerate(points):
        # close what ends here, reopening what was opened inside it and continues
        ending = [s for s in stack if s[1] <= point]
        if ending:
            first = min(stack.index(s) for s in ending)
            reopen = [s for s in stack[first:] if s[1] > point]
            out.extend(s[4] for s in reversed(stack[first:]))
            stack = stack[:first]
            for s in reopen:
                out.append(s[3])
                stack.append(s)
        out.extend(inserts.get(point, ()))
        if i == len(points) - 1:
            break
        # open what starts here, longest (outermost) first
        for s in sorted((s for s in live if s[0] == point), key=lambda s: (s[0] - s[1], s[2])):
            out.append(s[3])
            stack.append(s)
        out.append(escape(text[point - offset : points[i + 1] - offset]))
    out.extend(s[4] for s in reversed(stack))
    return "".join(str(x) for x in out)


def body_blocks(article, quotes, mentions):
    """The report as printed: a dict (kind "p" or "h2", html, line number, translations) for each printed line.

    Quotes and mentions are wrapped where they stand; a quote's speaker is named in a small tag
    after its closing quotation mark (or after the quote, when the print left it unclosed). On a page
    not in Arabic, `translations` holds the quotes of the line that have an English translation, to be
    shown beside the printed words, never instead of them.
    """
    body = article.body
    spans = [(q.start, q.end, 0, _quote_open(q), "</span>") for q in quotes]
    spans += [(m.start, m.end, 1, _mention_open(m), _mention_close(m)) for m in mentions if m.target is not None]
    notes = []
    for q in quotes:
        # after the closing mark and the punctuation that follows it, so the chip never stands alone
        after = q.end + 1 if q.end < len(body) and body[q.end] in _CLOSING_MARKS else q.end
        while after < len(body) and body[after] in _TRAILING_PUNCTUATION:
            after += 1
        notes.append((after, _quote_after(q)))
    translatable = [] if is_arabic() else sorted((q for q in quotes if q.translation_en), key=lambda q: q.start)
    blocks = []
    offset = 0
    for number, line in enumerate(body.split("\n"), start=1):
        if line.strip():
            kind = "h2" if is_subheading(line) else "p"
            html = mark_safe(_render_paragraph(line, offset, spans, notes))
            translated = [q for q in translatable if offset <= q.start < offset + len(line)]
            blocks.append({"kind": kind, "html": html, "number": number, "translations": translated})
        offset += len(line) + 1
    return blocks

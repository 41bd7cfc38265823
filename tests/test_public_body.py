"""The report body rendered with its annotations: spans nest, cross, and never break the HTML."""

import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from articles.models import Mention
from articles.public.rendering import body_blocks
from diplomacy.models import Participant, Place

pytestmark = pytest.mark.django_db


class Balanced(HTMLParser):
    """Fails on a closing tag that does not match the element open."""

    def __init__(self):
        super().__init__()
        self.stack = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()


def balanced(html):
    parser = Balanced()
    parser.feed(html)
    assert parser.stack == []
    return html


def quote(pk, start, end, body, speaker=None):
    return SimpleNamespace(pk=pk, start=start, end=end, text=body[start:end], kind="direct", speaker=speaker)


def mention(pk, start, end, body, **target):
    return Mention(pk=pk, start=start, end=end, text=body[start:end], **target)


def test_a_name_inside_a_quote_nests_and_the_speaker_follows_the_closing_mark():
    kerry = Participant(slug="kerry", name_ar="جون كيري", name_en="John Kerry", kind="person")
    lavrov = Participant(slug="lavrov", name_ar="سيرغي لافروف", name_en="Sergey Lavrov", kind="person")
    body = "قال كيري: “نعمل مع لافروف بجد”، ثم غادر."
    start, end = body.index("“") + 1, body.index("”")
    article = SimpleNamespace(body=body)
    blocks = body_blocks(
        article,
        [quote(1, start, end, body, speaker=kerry)],
        [mention(2, body.index("لافروف"), body.index("لافروف") + 6, body, participant=lavrov)],
    )
    html = balanced(str(blocks[0]["html"]))
    assert html.index('id="quote-1"') < html.index('href="/participants/lavrov/"') < html.index("</span>")
    # the speaker tag comes after the closing quotation mark, not inside the quote
    assert html.index("”") < html.index('class="speaker" href="/participants/kerry/"')
    # the printed text is all there, in order
    text = re.sub(r'<a class="speaker"[^>]*>[^<]*</a>', "", html)
    assert re.sub(r"<[^>]+>", "", text) == body


def test_crossing_spans_are_closed_and_reopened():
    moscow = Place(slug="moscow", name_ar="موسكو", name_en="Moscow")
    body = "أ ب ج د ه و ز"
    article = SimpleNamespace(body=body)
    blocks = body_blocks(article, [quote(1, 0, 7, body)], [mention(2, 4, 11, body, place=moscow)])
    html = balanced(str(blocks[0]["html"]))
    assert html.count('class="mention mention-place"') == 2  # split around the quote's end
    assert "speaker-unknown" in html


def test_lines_become_paragraphs_and_subheadings_and_html_is_escaped():
    body = "فقرة أولى فيها <b>وسم</b>.\nعنوان فرعي\n\nفقرة أخيرة."
    blocks = body_blocks(SimpleNamespace(body=body), [], [])
    assert [b["kind"] for b in blocks] == ["p", "h2", "p"]
    assert [b["number"] for b in blocks] == [1, 2, 4]
    assert "&lt;b&gt;" in str(blocks[0]["html"])


def test_a_quote_running_over_two_lines_is_closed_on_each(demo):
    body = "قال: “سطر أول\nسطر ثان” انتهى."
    article = SimpleNamespace(body=body)
    blocks = body_blocks(article, [quote(1, body.index("“") + 1, body.index("”"), body)], [])
    for block in blocks:
        balanced(str(block["html"]))

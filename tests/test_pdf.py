"""A published report as PDF: valid, fonts embedded, tagged with its language and title, the byline
as author, quotes marked, several pages; and its text is the printed Arabic, so a researcher can
search, copy and quote it: every body word extracts as printed (diacritics included, and the digits
and punctuation glued to it in their printed order) with pypdf and with poppler's pdftotext, for
the seed report and every real report of tests/realnews, while the page still draws exactly what
WeasyPrint set, the lam-alef ligature and its marks where HarfBuzz put them (docs/charts.md)."""

import datetime
import io
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from django.core.cache import cache
from PIL import Image, ImageChops
from pypdf import PdfReader
from pypdf.generic import ContentStream

from articles.arabic.shaping import shape
from articles.charts import pdf as pdf_module
from articles.charts.pdf import article_pdf_bytes, marked_paragraphs, reports_for_pdf
from articles.charts.pdftext import extractable, to_unicode_map
from articles.models import Article, Quote
from tests.factories import make_article, make_participant


def read(content):
    assert content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(content))


def page_texts(reader):
    return [page.extract_text() for page in reader.pages]


def logical(text):
    """Extracted text with its whitespace folded (pypdf puts right-to-left runs back in reading order)."""
    return " ".join(text.split())


PUNCTUATION = "،؛؟.,:;!?“”«»\"'()[]-–—…"
# pdftotext wraps right-to-left runs in bidi embedding controls; they are its markup, not the text.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")
TANWEEN, SHADDA, LAM_ALEF = re.compile("[\u064b-\u064d]"), "\u0651", re.compile("ل[اأإآ]")
VOWEL_IN_LAM_ALEF = re.compile("ل[\u064b-\u0652]+[اأإآ]")
REALNEWS = Path(__file__).parent / "realnews"
# Every real report: tanween on a final alef (مؤخراً), shadda alone and with a vowel, lam-alef in almost
# every line, a vowel between lam and alef (بدلًا), digits and Latin inside Arabic (و2005، 5+1،
# 29/مايو/2017), punctuation glued to words (أمريكا،"مقلقة، لـ«الشرق).
REAL_REPORTS = sorted(path.stem for path in REALNEWS.glob("*.jsonl"))


def printed(word):
    """A word as a reader sees it: invisible format characters (a stray RLM) are not drawn."""
    return "".join(ch for ch in word if unicodedata.category(ch) != "Cf")


def body_words(article):
    """Each word of the body as printed, without the punctuation around it."""
    return [printed(w.strip(PUNCTUATION)) for w in article.body.split() if printed(w.strip(PUNCTUATION))]


def pdftotext(content, tmp_path):
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed: apt-get install poppler-utils"
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return BIDI_CONTROLS.sub("", result.stdout.decode())


def presentation_forms(text):
    return [ch for ch in text if 0xFE70 <= ord(ch) <= 0xFEFF]


@pytest.fixture
def seed_content(client, demo):
    response = client.get(f"/articles/{demo.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


@pytest.fixture
def seed_pdf(seed_content):
    return read(seed_content)


def test_the_seed_pdf_is_valid_and_embeds_its_fonts(seed_pdf):
    assert len(seed_pdf.pages) >= 2
    for page in seed_pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:  # a composite font keeps it on its descendant
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]


def test_the_seed_pdf_text_is_the_printed_arabic_in_reading_order(seed_pdf, demo):
    texts = page_texts(seed_pdf)
    whole = logical("\n".join(texts))
    assert not presentation_forms(whole)  # letters as printed, not glyph forms
    assert demo.title in whole
    # The first sentence of the body, word for word, in reading order.
    assert " ".join(demo.paragraphs[0].split()[:8]) in whole
    assert "الوقت" in whole
    missing = [word for word in body_words(demo) if word not in whole]
    assert missing == []


def test_diacritics_survive_into_the_text(client, demo):
    body = "قالَ الوزيرُ إنّ الحلَّ سياسيٌّ، مؤكداً «ضرورةَ» الحوارِ.\nوأضافَ أنَّ اللقاءَ كان مفيداً جداً."
    article = make_article(title="تشكيلٌ كاملٌ", body=body)
    whole = logical("\n".join(page_texts(read(client.get(f"/articles/{article.pk}/pdf/").content))))
    assert [word for word in body_words(article) if word not in whole] == []
    assert "تشكيلٌ كاملٌ" in whole


def test_pdftotext_finds_every_body_word_as_printed(seed_content, demo, tmp_path):
    text = pdftotext(seed_content, tmp_path)
    assert not presentation_forms(text)
    words = body_words(demo)
    # The seed has what poppler used to misread: lam-alef in 55 words, tanween on alef in 17.
    assert sum(bool(LAM_ALEF.search(w)) for w in words) > 50 and sum("اً" in w for w in words) > 15
    assert [word for word in words if word not in text] == []


def real_report(name):
    record = json.loads((REALNEWS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[0])
    return make_article(title=record["title"], body=record["body"])


def tokens(article):
    """Each whitespace-separated piece of the body as printed, punctuation kept: what a reader who
    double-clicks a word and copies it gets (`و2005)`, `أمريكا،"مقلقة`, `(2016`)."""
    return [printed(w) for w in article.body.split() if printed(w)]


def both_texts(content, tmp_path):
    return pdftotext(content, tmp_path), logical("\n".join(page_texts(read(content))))


def test_the_real_reports_have_what_extractors_misread():
    bodies = [json.loads((REALNEWS / f"{name}.jsonl").read_text(encoding="utf-8"))["body"] for name in REAL_REPORTS]
    words = [w for body in bodies for w in body.split()]
    assert len(REAL_REPORTS) == 42
    assert sum(bool(TANWEEN.search(w)) for w in words) > 40 and sum(SHADDA in w for w in words) > 5
    assert any(VOWEL_IN_LAM_ALEF.search(w) for w in words)  # بدلًا
    # digits, Latin and punctuation glued to Arabic, which each extractor used to order its own way
    for glued in ("و2005)", "29/مايو/2017", '"5+1"', 'أمريكا،"مقلقة', "لـ«الشرق", "الله:»نطالب", "2013؛"):
        assert glued in words


@pytest.mark.parametrize("name", REAL_REPORTS)
def test_real_reports_extract_every_body_word_as_printed_with_both_tools(client, db, name, tmp_path):
    # Each report set once; both extractors find each word, and each piece between spaces with the
    # punctuation and digits glued to it, in the printed order.
    article = real_report(name)
    poppler, pypdf = both_texts(client.get(f"/articles/{article.pk}/pdf/").content, tmp_path)
    for text in (poppler, pypdf):
        assert [word for word in body_words(article) if word not in text] == []
        assert [token for token in tokens(article) if token not in text] == []


def test_vowels_between_lam_and_alef_and_digits_inside_arabic_read_as_printed(client, db, tmp_path):
    # A vowel or tanween between lam and alef (HarfBuzz draws lam-alef and the mark as one cluster,
    # which WeasyPrint's one-text-a-glyph map cannot say), with the same glyphs elsewhere without the
    # mark; and digits, Latin and punctuation inside Arabic, which each extractor used to order its
    # own way. The first paragraph also comes before the second in both.
    first = (
        "قال لَا بدلًا من لا، وسلَامًا لأن الْأَمر سلِيم لِإِيران ولَآلئ، ولا "
        'خلال عام (2016) بين العامين 1981 و2005) ومجموعة "5+1" يوم 29/مايو/2017 - 06:34 م.'
    )
    second = 'وقال كيري لـ«الشرق الأوسط»: «نعم»، وأمريكا،"مقلقة للغاية" عبر CNN والـBBC أيضاً،وقال 100% لا.'
    # fully vocalized text (a Quranic quotation, verse): a mark on nearly every letter
    third = (
        "بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ. الْحَمْدُ لِلَّهِ رَبِّ الْعَالَمِينَ، مَالِكِ يَوْمِ الدِّينِ. "
        "قَالَ الشَّاعِرُ: لَا تَقُلْ سَلِيمًا بَلْ سُلَيْمَانُ، وَلَآلِئُ البَحْرِ كَثِيرَةٌ."
    )
    article = make_article(title="لَا بدلًا 2016", body="\n".join([first, second, third] * 2))
    poppler, pypdf = both_texts(client.get(f"/articles/{article.pk}/pdf/").content, tmp_path)
    for text in (poppler, pypdf):
        assert [token for token in tokens(article) if token not in text] == []
        assert text.index("لِإِيران") < text.index("مقلقة")
    assert VOWEL_IN_LAM_ALEF.search(first)


def test_shadda_and_stacked_vowels_come_back_in_their_printed_order(client, db, tmp_path):
    # DejaVu draws shadda with fatha (or kasra) as one glyph; each extractor gives both marks back
    # in the order they were typed, and the tanween over a final alef joins its word. (Four
    # paragraphs: poppler guesses a page's direction from its letters, and a page of English
    # headings around one Arabic line is read left to right.)
    sentence = "وعبَّر الوزير عن موقف مخرِّبة جداً، وقالَ إنّ الحلَّ سياسيٌّ أيضاً ولا بدّ منه."
    article = make_article(title="تشكيل", body="\n".join([sentence] * 4))
    content = client.get(f"/articles/{article.pk}/pdf/").content
    words = body_words(article)
    assert sum(SHADDA in w for w in words) == 6 * 4
    poppler = pdftotext(content, tmp_path)
    pypdf = logical("\n".join(page_texts(read(content))))
    assert [word for word in words if word not in poppler] == []
    assert [word for word in words if word not in pypdf] == []


def shown_texts(content):
    """The text each glyph the pages draw stands for (ToUnicode), glyph by glyph."""
    reader = read(content)
    shown = []
    for page in reader.pages:
        fonts = {
            name: to_unicode_map(f.get_object()["/ToUnicode"].get_object().get_data())
            for name, f in page["/Resources"]["/Font"].items()
        }
        font = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                font = fonts[operands[0]]
            elif operator == b"TJ":
                for item in operands[0]:
                    if isinstance(item, (bytes, str)):
                        data = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
                        shown += [font.get(int.from_bytes(data[i : i + 2], "big")) for i in range(0, len(data), 2)]
    return shown


def rasters(content, tmp_path, name):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "100", str(path), str(tmp_path / name)], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob(f"{name}-*.png"))]


def test_the_page_is_drawn_exactly_as_weasyprint_set_it_with_the_ligature(client, demo, monkeypatch, tmp_path):
    # The text rewriting moves no ink: every page rasterizes to the same pixels as WeasyPrint's own
    # PDF, and the lam-alef is still one ligature glyph (a glyph that stands for both letters).
    fixed = client.get(f"/articles/{demo.pk}/pdf/").content
    monkeypatch.setattr(pdf_module, "extractable", lambda pdf, lines=None: pdf)
    cache.clear()  # the same page: the first PDF would be served from the shared cache
    plain = client.get(f"/articles/{demo.pk}/pdf/").content
    assert fixed != plain
    assert fixed.split(b"\n", 1)[0] == plain.split(b"\n", 1)[0] == b"%PDF-1.7"  # ActualText needs 1.5
    before, after = rasters(plain, tmp_path, "plain"), rasters(fixed, tmp_path, "fixed")
    assert len(before) == len(after) >= 2
    for one, other in zip(before, after, strict=True):
        assert ImageChops.difference(one, other).getbbox() is None
    assert shown_texts(fixed).count("لا") == shown_texts(plain).count("لا") > 20

    # pypdf reads the same characters as before, page by page (only spaces may differ), in reading
    # order now where a line mixes directions: the quote list's `[1] جون كيري (partial): “…”` came
    # out `”): “…partial(  جون كيري[1]`, a date in the body `27 شباط.` as `شباط.27`.
    def letters(content):
        return ["".join(text.split()) for text in page_texts(read(content))]

    assert [sorted(page) for page in letters(fixed)] == [sorted(page) for page in letters(plain)]
    whole = logical("\n".join(page_texts(read(fixed))))
    assert "موسكو واشنطن بدا تطبيقها في 27 شباط." in whole
    assert re.search(r"\[1\] جون كيري \(\w+\): “الصعب للغاية”", whole)


def test_a_pdf_with_nothing_to_rewrite_comes_back_unchanged(client, demo, monkeypatch):
    monkeypatch.setattr(pdf_module, "extractable", lambda pdf, lines=None: pdf)
    english = make_article(title="A report in English", body="Talks went well.\nBoth sides agreed.", language="en")
    plain = client.get(f"/en/articles/{english.pk}/pdf/").content
    assert extractable(plain) == plain


def test_the_pdf_is_tagged_with_its_language_title_and_byline(client, demo):
    article = make_article(
        title="لافروف يستقبل كيري",
        byline="هدى الحسيني، ومحمد علي",
        source=demo.source,
        published=datetime.date(2016, 3, 24),
    )
    reader = read(client.get(f"/articles/{article.pk}/pdf/").content)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "ar"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert reader.metadata.title == "لافروف يستقبل كيري"
    assert reader.metadata.author == "هدى الحسيني، محمد علي"
    english = read(client.get(f"/en/articles/{demo.pk}/pdf/").content)
    assert english.trailer["/Root"]["/Lang"] == "en"
    assert english.metadata.author == "Al-Waght"  # no byline: the outlet


def test_the_seed_pdf_marks_quotes_names_speakers_and_covers_the_record(seed_pdf, demo):
    whole = logical("\n".join(page_texts(seed_pdf)))
    n_quotes = demo.quotes.count()
    assert "[1]" in whole and f"[{n_quotes}]" in whole
    for name in ("جون كيري", "سيرغي لافروف", "فلاديمير بوتين"):
        assert name in whole
    for meeting in demo.meetings.all():
        assert meeting.title_ar in whole
    for agreement in demo.agreements.all():
        assert agreement.title_ar in whole
    assert f"http://testserver/articles/{demo.pk}/" in whole


def test_english_pdf_has_english_headings(client, demo):
    reader = read(client.get(f"/en/articles/{demo.pk}/pdf/").content)
    whole = logical("\n".join(page_texts(reader)))
    assert "Quotes and their speakers" in whole
    assert "Meetings covered" in whole
    assert "How to cite this report" in whole
    assert f"http://testserver/en/articles/{demo.pk}/" in whole


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.WITHDRAWN])
def test_unpublished_reports_have_no_pdf(client, db, status):
    article = make_article(status=status)
    assert client.get(f"/articles/{article.pk}/pdf/").status_code == 404


def test_an_editor_gets_the_pdf_of_an_unpublished_report_as_its_page_marked_and_private(client, editor):
    # Issue 12: the PDF follows the report page (an editor previews both; the public gets 404 for both).
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    assert client.get(f"/articles/{article.pk}/").status_code == 200
    response = client.get(f"/articles/{article.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    client.logout()
    assert client.get(f"/articles/{article.pk}/pdf/").status_code == 404


def test_a_long_report_runs_over_pages_with_paragraphs_wrapped_in_reading_order(db):
    sentence = "أكد وزير الخارجية أن المحادثات مع نظيره الروسي كانت بناءة ومفيدة للطرفين"
    # Letters, not digits, tell the paragraphs apart: pypdf's text extraction
    # guesses the order of digits inside right-to-left lines.
    tags = [a + b for a in "بتثجحخ" for b in "سشصضطظع"][:40]
    paragraphs = [f"بداية{tag} {sentence} {sentence} {sentence} نهاية{tag}" for tag in tags]
    article = make_article(title="تقرير طويل جدا", body="\n".join(paragraphs))
    reader = read(article_pdf_bytes(reports_for_pdf().get(pk=article.pk), permalink="https://example.org/a/1/"))
    assert len(reader.pages) >= 4
    texts = [logical(t) for t in page_texts(reader)]
    assert f"بداية{tags[0]} أكد وزير الخارجية" in texts[0]
    assert f"نهاية{tags[-1]}" in "".join(texts[-2:])
    # Each paragraph's words keep their order across its lines and pages.
    whole = " ".join(texts)
    for tag in tags:
        assert whole.index(f"بداية{tag} ") < whole.index(f"نهاية{tag}")
        assert whole.count(sentence) >= len(tags)


def test_pdf_queries_do_not_grow_with_the_report(client, demo, django_assert_num_queries):
    # 1 the report and its source, 2 quotes with speakers, 3 meetings with places, 4 agreements, 5 topics
    with django_assert_num_queries(5):
        client.get(f"/articles/{demo.pk}/pdf/")
    speaker = make_participant()
    article = make_article(body="أ" * 200)
    for i in range(20):
        Quote.objects.create(article=article, start=i * 5, end=i * 5 + 3, text="أأأ", speaker=speaker)
    with django_assert_num_queries(5):
        client.get(f"/articles/{article.pk}/pdf/")


def test_quote_markers_follow_the_closing_mark():
    class Span:
        def __init__(self, start, end):
            self.start, self.end = start, end

    body = "قال كيري “نعم” ثم مضى\nفقرة ثانية «لا» فقط"
    first = Span(body.index("نعم"), body.index("نعم") + 3)
    second = Span(body.index("لا»"), body.index("لا»") + 2)
    article = Article(body=body)
    paragraphs, numbered = marked_paragraphs(article, [first, second])
    assert paragraphs[0][0] == "قال كيري “نعم” [1] ثم مضى"
    assert paragraphs[1][0] == "فقرة ثانية «لا» [2] فقط"
    text, spans = paragraphs[0]
    assert [text[a:b] for a, b in spans] == ["نعم"]
    assert numbered == [first, second]
    assert shape("[1]") == "[1]"

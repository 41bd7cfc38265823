"""How a published report is cited: a ready reference, BibTeX, RIS, Highwire tags and JSON-LD.

One place builds every form from the same facts, so the cite box, the downloads and the
metadata that reference managers read never disagree. An unknown publication date stays
unknown ("n.d." / "د.ت."), never invented.
"""

import json
import re

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.display import citation_date, format_date, web_address

ARCHIVE_NAME_AR = "أرشيف الدبلوماسية"
ARCHIVE_NAME_EN = "Diplomacy Archive"
# Bump when the citation formats change, so cached report pages (ETag) are rebuilt.
VERSION = "2"

_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _english():
    return (translation.get_language() or "ar").startswith("en")


def archive_name():
    return ARCHIVE_NAME_EN if _english() else ARCHIVE_NAME_AR


def source_name(article):
    if article.source is None:
        return ""
    return article.source.name_in(translation.get_language())


def permalink(article, request):
    return request.build_absolute_uri(article.get_absolute_url())


def pdf_url(article, request):
    return request.build_absolute_uri(reverse("article-pdf", kwargs={"pk": article.pk}))


def accessed():
    """The day a reader fetched the reference: BibTeX's `urldate`, RIS's `Y2`."""
    return timezone.localdate()


# Names in a byline are separated by commas (Arabic or Latin), semicolons, or a free-standing
# "و" / "and". After a comma, Arabic writes the conjunction attached ("، ومحمد علي"): it is dropped
# unless the word is a given name that itself begins with و (وليد, not "و" + "ليد").
_AUTHOR_SEPARATOR = re.compile(r"\s*[،,;؛]\s*|\s+(?:و|and|&)\s+")
_NAMES_STARTING_WITH_WAW = frozenset(
    ("وليد", "وائل", "وفاء", "وسام", "وديع", "وجدي", "وهبة", "وداد", "وحيد", "وصفي", "وفيق", "ولاء", "وعد")
    + ("وسيم", "وضاح", "وهيب", "وجيه", "ودود", "ورد")
)


def _without_conjunction(name):
    first = name.split(maxsplit=1)[0]
    if first.startswith("و") and first not in _NAMES_STARTING_WITH_WAW and len(first) > 3:
        return name[1:]
    return name


def authors(article):
    """The byline's names, one each: `هدى الحسيني، ومحمد علي` is two authors, not one."""
    names = [name.strip() for name in _AUTHOR_SEPARATOR.split(article.byline.strip()) if name.strip()]
    return names[:1] + [_without_conjunction(name) for name in names[1:]]


def reference(article, request):
    """A ready reference in the page's language, for the cite box (safe HTML: the title is isolated
    with <bdi>, so an Arabic title reads right inside an English reference and the reverse)."""
    date = citation_date(article)
    opening, closing = ("“", "”") if _english() else ("«", "»")
    parts = []
    if article.byline:
        parts.append(escape(article.byline.rstrip(".")))
    if article.source:
        parts.append(escape(source_name(article).rstrip(".")))
    parts.append(format_html('{}<bdi lang="{}">{}</bdi>{}', opening, article.language, article.title, closing))
    parts.append(escape(date))
    parts.append(escape(_("%(archive)s, report %(id)s") % {"archive": archive_name(), "id": article.pk}))
    parts.append(format_html('<span dir="ltr">{}</span>', permalink(article, request)))
    return mark_safe(". ".join(str(p) for p in parts) + ".")


# Any line break a reference manager might honour; a byline with one could otherwise start a new
# RIS tag or a new BibTeX entry ("\n@misc{…").
_LINE_BREAKS = str.maketrans(dict.fromkeys("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", " "))


def _one_line(value):
    return value.translate(_LINE_BREAKS)


# BibTeX counts braces without regard to backslashes, so an unmatched `\}` still closes the field:
# braces that pair up are escaped as `\{ \}`, any other brace becomes a command whose own braces balance.
_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", **{c: "\\" + c for c in "&%$#_"}}


def _bibtex_escape(value):
    value = _one_line(value)
    unmatched, opened = set(), []
    for index, char in enumerate(value):
        if char == "{":
            opened.append(index)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                unmatched.add(index)
    unmatched.update(opened)
    out = []
    for index, char in enumerate(value):
        if char in "{}":
            if index in unmatched:
                out.append(r"\textbraceleft{}" if char == "{" else r"\textbraceright{}")
            else:
                out.append("\\" + char)
        else:
            out.append(_BIBTEX_SPECIAL.get(char, char))
    return "".join(out)


def _bibtex_url(value):
    """An address inside \\url{…}: characters that would unbalance it are percent-encoded."""
    for char, code in (("\\", "%5C"), ("{", "%7B"), ("}", "%7D"), (" ", "%20")):
        value = value.replace(char, code)
    return _one_line(value)


def bibtex(article, request):
    """BibTeX has no newspaper type: `@article` with biblatex's `entrysubtype = {newspaper}`."""
    fields = [("title", article.title)]
    if article.byline:
        fields.append(("author", " and ".join(f"{{{_bibtex_escape(name)}}}" for name in authors(article))))
    if article.source:
        fields.append(("journal", source_name(article)))
        fields.append(("entrysubtype", "newspaper"))
    if article.published:
        fields.append(("year", str(article.published.year)))
        fields.append(("month", _BIBTEX_MONTHS[article.published.month - 1]))
        fields.append(("date", article.published.isoformat()))
    elif article.approximate_date:  # n.d. with the inferred year in brackets, never a printed date
        fields.append(("year", f"n.d. [{article.approximate_date.year}]"))
    fields += [
        ("url", permalink(article, request)),
        ("urldate", accessed().isoformat()),
        ("language", "arabic" if article.language == "ar" else article.language),
        ("note", f"{ARCHIVE_NAME_EN}, report {article.pk}"),
    ]
    if web_address(article.url):
        fields.append(("howpublished", f"\\url{{{_bibtex_url(article.url)}}}"))
    lines = [f"@article{{diplomacy-archive-{article.pk},"]
    for name, value in fields:
        if name == "month":
            lines.append(f"  {name} = {value},")
        elif name in {"author", "howpublished"}:  # each author's name is braced already
            lines.append(f"  {name} = {{{value}}},")
        else:
            lines.append(f"  {name} = {{{_bibtex_escape(value)}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def ris(article, request):
    """RIS: one tag a line, `TY  - NEWS` first and `ER  - ` last, CRLF line ends as the format asks."""
    rows = [("TY", "NEWS"), ("TI", article.title)]
    rows += [("AU", name) for name in authors(article)]
    if article.source:
        rows.append(("T2", source_name(article)))
        rows.append(("PB", source_name(article)))
    if article.published:
        rows.append(("PY", str(article.published.year)))
        rows.append(("DA", article.published.strftime("%Y/%m/%d")))
    rows += [
        ("LA", article.language),
        ("UR", permalink(article, request)),
        ("Y2", accessed().strftime("%Y/%m/%d")),
        ("DB", ARCHIVE_NAME_EN),
        ("AN", str(article.pk)),
    ]
    if web_address(article.url):
        rows.append(("L2", article.url))
    rows.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in rows)


def highwire(article, request):
    """(name, content) pairs for the meta tags Zotero and Google Scholar read.

    Zotero's Embedded Metadata translator types any page with `citation_journal_title` as a journal
    article, so the outlet is named by PRISM's `publicationName` instead, and Dublin Core's
    `NewsItem` type makes the report a newspaper article. One `citation_author` a name."""
    tags = [("citation_title", article.title), ("DC.type", "NewsItem")]
    tags += [("citation_author", name) for name in authors(article)]
    if article.published:
        tags.append(("citation_publication_date", article.published.strftime("%Y/%m/%d")))
        tags.append(("citation_date", article.published.strftime("%Y/%m/%d")))
    if article.source:
        tags.append(("prism.publicationName", source_name(article)))
        tags.append(("citation_publisher", source_name(article)))
    tags += [
        ("citation_language", article.language),
        ("citation_public_url", permalink(article, request)),
        ("citation_abstract_html_url", permalink(article, request)),
        ("citation_pdf_url", pdf_url(article, request)),
        ("citation_archive_id", str(article.pk)),
    ]
    return tags


def json_ld(article, request, people=(), parties=()):
    """schema.org NewsArticle, as a string safe to put in a <script> element."""
    language = translation.get_language()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "inLanguage": article.language,
        "url": permalink(article, request),
        "mainEntityOfPage": permalink(article, request),
        "identifier": str(article.pk),
        "isAccessibleForFree": True,
        "isPartOf": {"@type": "WebSite", "name": archive_name(), "url": request.build_absolute_uri("/")},
        "articleBody": article.body,
    }
    if article.published:
        data["datePublished"] = article.published.isoformat()
    if article.updated_at:
        data["dateModified"] = article.updated_at.isoformat()
    if article.byline:
        data["author"] = [{"@type": "Person", "name": name} for name in authors(article)]
    if article.source:
        data["publisher"] = {"@type": "Organization", "name": source_name(article)}
        if web_address(article.source.url):
            data["publisher"]["url"] = article.source.url
    if web_address(article.url):
        data["sameAs"] = article.url
    mentions = [
        {
            "@type": "Person",
            "name": p.name_in(language),
            "url": request.build_absolute_uri(p.get_absolute_url()),
        }
        for p in people
    ] + [
        {
            "@type": "Organization" if p.kind == "organization" else "Country",
            "name": p.name_in(language),
            "url": request.build_absolute_uri(p.get_absolute_url()),
        }
        for p in parties
    ]
    if mentions:
        data["mentions"] = mentions
    about = [{"@type": "Thing", "name": t.name_in(language)} for t in article.topics.all()]
    if about:
        data["about"] = about
    text = json.dumps(data, ensure_ascii=False, indent=1)
    # "</script>" would end the element early: escape markup characters as json_script does.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- A passage (a quote or a mention): cited as words printed in a report ------------------------------


def _speaker(span):
    return getattr(span, "speaker", None)


def _lead(span):
    """Who the passage is about, in the page's language: a quote's speaker, a mention's target."""
    if span._meta.model_name == "quote":
        return span.speaker.name_in(translation.get_language()) if span.speaker_id else _("speaker unknown")
    target = span.target
    return target.name_in(translation.get_language()) if target is not None else ""


def _passage_title(span, limit=120):
    text = span.text if len(span.text) <= limit else span.text[:limit].rstrip() + "…"
    return f"«{text}»"


def passage_permalink(span, request):
    return request.build_absolute_uri(span.get_absolute_url())


def passage_reference(span, request):
    """A ready reference for a quote or a mention: who, the words, then the report that printed them."""
    article = span.article
    date = format_date(article.published) if article.published else _("n.d.")
    label = _("%(archive)s, quote %(id)s") if span._meta.model_name == "quote" else _("%(archive)s, mention %(id)s")
    parts = [
        escape(_lead(span)),
        format_html('<bdi lang="{}">{}</bdi>', article.language, _passage_title(span)),
        format_html(
            '{} <bdi lang="{}">{}</bdi>{}',
            _("quoted in") if span._meta.model_name == "quote" else _("in"),
            article.language,
            article.title,
            f", {escape(source_name(article))}" if article.source else "",
        ),
        escape(date),
        escape(label % {"archive": archive_name(), "id": span.pk}),
        format_html('<span dir="ltr">{}</span>', passage_permalink(span, request)),
    ]
    return mark_safe(". ".join(str(p) for p in parts) + ".")


def passage_bibtex(span, request):
    article, kind = span.article, span._meta.model_name
    fields = [("title", _passage_title(span))]
    if _speaker(span) is not None:
        fields.append(("author", span.speaker.name_in(article.language)))
    fields.append(("booktitle", article.title))
    if article.source:
        fields.append(("publisher", source_name(article)))
    if article.published:
        fields.append(("year", str(article.published.year)))
        fields.append(("date", article.published.isoformat()))
    fields += [
        ("url", passage_permalink(span, request)),
        ("language", "arabic" if article.language == "ar" else article.language),
        ("note", f"{ARCHIVE_NAME_EN}, {kind} {span.pk} in report {article.pk}, characters {span.start}-{span.end}"),
    ]
    lines = [f"@misc{{diplomacy-archive-{kind}-{span.pk},"]
    lines += [f"  {name} = {{{_bibtex_escape(value)}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


def passage_ris(span, request):
    article, kind = span.article, span._meta.model_name
    rows = [("TY", "NEWS"), ("TI", _passage_title(span))]
    if _speaker(span) is not None:
        rows.append(("AU", span.speaker.name_in(article.language)))
    rows.append(("T2", article.title))
    if article.source:
        rows.append(("PB", source_name(article)))
    if article.published:
        rows.append(("PY", str(article.published.year)))
        rows.append(("DA", article.published.strftime("%Y/%m/%d")))
    rows += [
        ("LA", article.language),
        ("UR", passage_permalink(span, request)),
        ("DB", ARCHIVE_NAME_EN),
        ("AN", f"{kind} {span.pk}"),
        ("N1", f"In report {article.pk}: {request.build_absolute_uri(span.passage_url())}"),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in rows)


def passage_highwire(span, request):
    article = span.article
    tags = [("citation_title", _passage_title(span))]
    if _speaker(span) is not None:
        tags.append(("citation_author", span.speaker.name_in(article.language)))
    if article.published:
        tags.append(("citation_publication_date", article.published.strftime("%Y/%m/%d")))
    if article.source:
        tags.append(("citation_publisher", source_name(article)))
    tags += [
        ("citation_inbook_title", article.title),
        ("citation_language", article.language),
        ("citation_public_url", passage_permalink(span, request)),
        ("citation_archive_id", f"{span._meta.model_name}-{span.pk}"),
    ]
    return tags

"""How a published report is cited: a ready reference, BibTeX, RIS, Highwire tags and JSON-LD.

One place builds every form from the same facts, so the cite box, the downloads and the
metadata that reference managers read never disagree. An unknown publication date stays
unknown ("n.d." / "د.ت."), never invented.
"""

import json

from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles.display import citation_date

ARCHIVE_NAME_AR = "أرشيف الدبلوماسية"
ARCHIVE_NAME_EN = "Diplomacy Archive"
# Bump when the citation formats change, so cached report pages (ETag) are rebuilt.
VERSION = "1"

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


def _bibtex_escape(value):
    for char in "\\{}":
        value = value.replace(char, "\\" + char)
    for char in "&%$#_":
        value = value.replace(char, "\\" + char)
    return value


def bibtex(article, request):
    fields = [("title", article.title)]
    if article.byline:
        fields.append(("author", article.byline))
    if article.source:
        fields.append(("journal", source_name(article)))
    if article.published:
        fields.append(("year", str(article.published.year)))
        fields.append(("month", _BIBTEX_MONTHS[article.published.month - 1]))
        fields.append(("date", article.published.isoformat()))
    elif article.approximate_date:  # n.d. with the inferred year in brackets, never a printed date
        fields.append(("year", f"n.d. [{article.approximate_date.year}]"))
    fields += [
        ("url", permalink(article, request)),
        ("language", "arabic" if article.language == "ar" else article.language),
        ("note", f"{ARCHIVE_NAME_EN}, report {article.pk}"),
    ]
    if article.url:
        fields.append(("howpublished", f"\\url{{{article.url}}}"))
    lines = [f"@article{{diplomacy-archive-{article.pk},"]
    for name, value in fields:
        if name == "month":
            lines.append(f"  {name} = {value},")
        elif name == "howpublished":
            lines.append(f"  {name} = {{{value}}},")
        else:
            lines.append(f"  {name} = {{{_bibtex_escape(value)}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def ris(article, request):
    """RIS: one tag a line, `TY  - NEWS` first and `ER  - ` last, CRLF line ends as the format asks."""
    rows = [("TY", "NEWS"), ("TI", article.title)]
    if article.byline:
        rows.append(("AU", article.byline))
    if article.source:
        rows.append(("T2", source_name(article)))
        rows.append(("PB", source_name(article)))
    if article.published:
        rows.append(("PY", str(article.published.year)))
        rows.append(("DA", article.published.strftime("%Y/%m/%d")))
    rows += [
        ("LA", article.language),
        ("UR", permalink(article, request)),
        ("DB", ARCHIVE_NAME_EN),
        ("AN", str(article.pk)),
    ]
    if article.url:
        rows.append(("L2", article.url))
    rows.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in rows)


def highwire(article, request):
    """(name, content) pairs for Highwire Press `citation_*` meta tags (Zotero, Google Scholar)."""
    tags = [("citation_title", article.title)]
    if article.byline:
        tags.append(("citation_author", article.byline))
    if article.published:
        tags.append(("citation_publication_date", article.published.strftime("%Y/%m/%d")))
        tags.append(("citation_date", article.published.strftime("%Y/%m/%d")))
    if article.source:
        tags.append(("citation_journal_title", source_name(article)))
        tags.append(("citation_publisher", source_name(article)))
    tags += [
        ("citation_language", article.language),
        ("citation_public_url", permalink(article, request)),
        ("citation_abstract_html_url", permalink(article, request)),
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
        data["author"] = {"@type": "Person", "name": article.byline}
    if article.source:
        data["publisher"] = {"@type": "Organization", "name": source_name(article)}
        if article.source.url:
            data["publisher"]["url"] = article.source.url
    if article.url:
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

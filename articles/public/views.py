"""Public pages for researchers: browse, filter, search, read and cite the published archive.

Every query for reports and their annotations goes through `visible_to(request.user)`, so the
public never sees a draft, a report in review or a withdrawn one, nor their quotes and mentions.
The record (people, meetings, agreements, places, topics, sources) goes through
`visible_records(Model, request.user)`: the public sees what published reports reach
(docs/public.md, "What is public"); any other record answers 404, as an unknown one does.
Editors' notes are never loaded here.
"""

import hashlib
from collections import Counter, OrderedDict
from itertools import groupby

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import condition, require_safe

from articles import citations, derived
from articles.comparison import outlet_comparison
from articles.display import local_name
from articles.duplicates import attach_copies, first_printings
from articles.evidence import according_to
from articles.filters import (
    SORTS,
    ArticleFilter,
    QuoteLedgerFilter,
    UnknownSort,
    archive_facet_counts,
    ledger_facet_counts,
    sort_reports,
)
from articles.models import Article, Mention, Quote, Source, visible_records
from articles.previews import mark_unpublished
from articles.public.rendering import body_blocks
from articles.search import QueryError, snippet
from diplomacy.models import Agreement, AgreementParty, Meeting, Participant, Participation, Place

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
HOME_AGREEMENTS = 100


class BadQuery(ValueError):
    """A query string the page cannot answer; the message is shown to the reader with a 400."""


def _bad_request(request, message):
    return render(request, "public/error.html", {"message": message}, status=400)


def _page(request, queryset, count=None):
    """One page of `queryset` from `?page=` and `?page_size=` (1 to 100), or BadQuery.

    `count`, when the caller already knows how many rows `queryset` has, saves
    the paginator counting them again.
    """
    raw_size = request.GET.get("page_size") or str(DEFAULT_PAGE_SIZE)
    if not raw_size.isdigit() or not 1 <= int(raw_size) <= MAX_PAGE_SIZE:
        raise BadQuery(_("page_size must be a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE})
    paginator = Paginator(queryset, int(raw_size))
    if count is not None:
        paginator.count = count  # a cached property: set, it is not computed
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        raise BadQuery(_("page must be a whole number.")) from None
    except EmptyPage:
        raise BadQuery(
            _("There is no page %(page)s; the results have %(pages)s page(s).")
            % {"page": request.GET.get("page"), "pages": paginator.num_pages}
        ) from None


def _reports(request):
    return Article.objects.visible_to(request.user)


COPIES_ALL = "all"


def _every_copy(request):
    """Whether the reader asked to see every copy of a text (`?copies=all`), or BadQuery.

    Lists show each text once by default: of the reports that carry the same text (copies of one wire
    story, `Article.copy_group`), the earliest printing, with "N other outlets carried this text".
    """
    value = request.GET.get("copies", "")
    if value not in ("", COPIES_ALL):
        raise BadQuery(_("copies must be “all” (to list every copy of a text) or left out."))
    return value == COPIES_ALL


# --- home ----------------------------------------------------------------------------------------


def _home_record(user):
    """What the home page shows of the record and how many reports there are: counted over the whole
    archive, so kept per data generation for the public (`derived.kept`)."""
    agreements = visible_records(Agreement, user)
    # The most recent agreements, grouped by status, with each status's full count beside them.
    counts = dict(agreements.order_by().values_list("status").annotate(n=Count("pk")))
    grouped = {}
    for agreement in agreements.order_by(F("announced").desc(nulls_last=True), "title_ar")[:HOME_AGREEMENTS]:
        grouped.setdefault(agreement.status, []).append(agreement)
    # in the order an agreement lives through: proposed, agreed, signed, in force, ...
    by_status = [
        {"status": value, "count": counts[value], "agreements": grouped.get(value, [])[:5]}
        for value, _label in Agreement.Status.choices
        if value in counts
    ]
    return {
        "report_count": Article.objects.visible_to(user).count(),
        "meetings": list(visible_records(Meeting, user).select_related("place").filter(part_of=None)[:6]),
        "agreements_by_status": by_status,
    }


@require_safe
def home(request):
    reports = _reports(request)
    context = dict(derived.kept("home", lambda: _home_record(request.user), user=request.user))
    labels = dict(Agreement.Status.choices)  # in the reader's language, not the one that filled the cache
    context["agreements_by_status"] = [
        {**row, "label": labels[row["status"]]} for row in context["agreements_by_status"]
    ]
    # each text once, by its earliest printing, as in the lists: a wire story that several outlets
    # carried is one entry, "N other outlets carried this text"
    latest = first_printings(reports, reports).select_related("source")
    context["latest"] = attach_copies(latest.order_by(Coalesce("published_at", "created_at").desc())[:8], reports)
    return render(request, "public/home.html", context)


# --- lists and search ----------------------------------------------------------------------------


def _browse(request, template, searching):
    """The report list and the search page: the shared ArticleFilter, its facet counts, one page."""
    filterset = ArticleFilter(request.GET, queryset=_reports(request), request=request)
    q = request.GET.get("q", "").strip()
    context = {"filter": filterset, "q": q, "searching": searching, "facets": None, "page": None}
    # "best match" is offered on the search page, where there are words to match
    context["sorts"] = [(key, label) for key, label in SORTS.items() if searching or key != "relevance"]
    if searching and not q and not any(k for k in request.GET if k not in ("page", "page_size")):
        return render(request, template, context)  # an empty search form
    if not filterset.is_valid():
        context["errors"] = filterset.errors
        context["error_list"] = _labelled_errors(filterset)
        return render(request, template, context, status=400)
    try:
        every_copy = _every_copy(request)
        results = filterset.qs.select_related("source")
        # with the number of results; kept per data generation for the public, estimates beyond a size
        facets = archive_facet_counts(filterset, results, request.user)
        sort = request.GET.get("sort", "")
        results = sort_reports(results, sort, searching=bool(q), language=translation.get_language())
        if not every_copy:
            results = first_printings(results, filterset.qs)
        page = _page(request, results, count=facets.total if every_copy else facets.stories)
        attach_copies(page.object_list, _reports(request))
        context["facets"] = _facet_links(facets, request)
        context["estimated"] = facets.estimated
        context.update(every_copy=every_copy, report_count=facets.total, story_count=facets.stories)
    except QueryError as error:
        context["errors"] = {"q": [str(error)]}
        context["error_list"] = [("", str(error))]
        return render(request, template, context, status=400)
    except BadQuery as error:
        return _bad_request(request, str(error))
    except UnknownSort as error:
        message = _("Reports cannot be sorted by “%(sort)s”; choose one of %(choices)s.")
        return _bad_request(request, message % {"sort": error, "choices": ", ".join(SORTS)})
    if q:
        for article in page.object_list:
            article.snippet = snippet(article, q)
    context["page"] = page
    context["active"] = _active_filters(filterset)
    return render(request, template, context)


def _labelled_errors(filterset):
    """(label, message) pairs: a bad value is named as the form names it ("Published on or after"), never by
    its parameter (`published_after`); a problem with the words searched needs no label."""
    fields = filterset.form.fields
    return [
        ("" if name in ("q", "__all__") else fields[name].label, message)
        for name, messages in filterset.errors.items()
        for message in messages
    ]


FACET_TITLES = {
    "participant": gettext_lazy("People and parties"),
    "country": gettext_lazy("Countries"),
    "topic": gettext_lazy("Topics"),
    "source": gettext_lazy("Sources"),
    "meeting": gettext_lazy("Meetings"),
    "agreement": gettext_lazy("Agreements"),
}


def _facet_links(facets, request):
    """Facets as (title, name, [(value, label, count, selected)]): the template makes the toggle links."""
    out = []
    for name, rows in facets.items():
        chosen = set(request.GET.getlist(name))
        values = []
        for row in rows:
            if name == "country":
                value, label, count = row["participant__country"], None, row["n"]
            else:
                value, label, count = row.slug, local_name(row), row.n
            values.append({"value": value, "label": label, "count": count, "selected": value in chosen})
        if values:
            out.append({"name": name, "title": FACET_TITLES[name], "values": values})
    return out


def _active_filters(filterset, names=("participant", "topic", "source", "meeting", "agreement")):
    """What the reader has chosen, to show as removable chips."""
    active = []
    data = filterset.form.cleaned_data
    for name in names:
        for obj in data.get(name) or ():
            active.append({"name": name, "value": obj.slug, "label": local_name(obj)})
    for value in data.get("kind") or ():
        active.append({"name": "kind", "value": value, "label": Quote.Kind(value).label})
    for code in data.get("country") or ():
        active.append({"name": "country", "value": code, "label": code, "country": True})
    for name in ("published_after", "published_before"):
        if data.get(name):
            active.append({"name": name, "value": data[name].isoformat(), "label": data[name], "date": True})
    return active


@require_safe
def article_list(request):
    return _browse(request, "public/article_list.html", searching=False)


@require_safe
def search(request):
    return _browse(request, "public/search.html", searching=True)


# --- the quote ledger ---------------------------------------------------------------------------

LEDGER_FACET_TITLES = {
    "speaker": gettext_lazy("Speakers"),
    "addressee": gettext_lazy("Addressed to"),
    "country": gettext_lazy("Speaker's country"),
    "kind": gettext_lazy("Kind of quote"),
    "meeting": gettext_lazy("Meetings"),
    "source": gettext_lazy("Sources"),
}


def _ledger_facet_links(facets, request):
    out = []
    for name, rows in facets.items():
        chosen = set(request.GET.getlist(name))
        values = []
        for row in rows:
            if isinstance(row, dict):
                label = Quote.Kind(row["value"]).label if name == "kind" else None
                value, count = row["value"], row["n"]
            else:
                value, label, count = row.slug, local_name(row), row.n
            values.append({"value": value, "label": label, "count": count, "selected": value in chosen})
        if values:
            out.append({"name": name, "title": LEDGER_FACET_TITLES[name], "values": values})
    return out


def ledger_quotes(request):
    """The quotes `request.user` may read, with what a ledger entry shows, newest report first.

    The order is that of the indexes `quote_newest` and `quote_{speaker,addressee,meeting}_newest`
    (migration 0003), on the report's date as copied onto each quote: a page, unfiltered or filtered
    by one of those, is read from an index range.
    """
    return (
        Quote.objects.visible_to(request.user)
        .select_related("article", "article__source", "speaker", "addressee", "meeting")
        .prefetch_related("speaker__offices")
        .order_by(F("published").desc(nulls_last=True), "-article_id", "start")
    )


def with_offices(quotes):
    """Each quote's `office`: what its speaker held on the day it was printed (or of its meeting)."""
    for quote in quotes:
        day = quote.article.published or (quote.meeting.start if quote.meeting_id else None)
        quote.day = day
        quote.office = _office_on(quote.speaker.offices.all(), day) if quote.speaker_id and day else None
    return quotes


@require_safe
def quote_list(request):
    filterset = QuoteLedgerFilter(request.GET, queryset=ledger_quotes(request))
    context = {"filter": filterset, "q": request.GET.get("q", "").strip(), "facets": None, "page": None}
    if not filterset.is_valid():
        context["errors"] = filterset.errors
        return render(request, "public/quote_list.html", context, status=400)
    try:
        quotes = filterset.qs
        counts = ledger_facet_counts(filterset, quotes, request.user)
        context["facets"] = _ledger_facet_links(counts, request)
        context["capped"] = counts.capped
        page = _page(request, quotes, count=counts.total)
    except QueryError as error:
        context["errors"] = {"q": [str(error)]}
        return render(request, "public/quote_list.html", context, status=400)
    except BadQuery as error:
        return _bad_request(request, str(error))
    with_offices(page.object_list)
    context["page"] = page
    context["active"] = _active_filters(
        filterset, names=("speaker", "addressee", "topic", "source", "meeting", "agreement")
    )
    return render(request, "public/quote_list.html", context)


def _passages(request, kind):
    """The quotes or mentions `request.user` may read, with what their own page shows."""
    if kind == "quote":
        return ledger_quotes(request)
    return Mention.objects.visible_to(request.user).select_related(
        "article", "article__source", "participant", "place", "meeting", "agreement"
    )


def _passage_or_gone(request, kind, pk):
    """The quote or mention `pk` the reader may see, or (None, a 410 page) for one deleted from a visible report.

    A deleted passage keeps its last version in its history table: "deleted" is not "never
    existed", and the address of a cited passage should say where it was, not just 404.
    """
    passage = _passages(request, kind).filter(pk=pk).first()
    if passage is not None:
        return (with_offices([passage])[0] if kind == "quote" else passage), None
    model = Quote if kind == "quote" else Mention
    deleted = model.history.filter(id=pk, history_type="-").order_by("-history_date").first()
    article = deleted and _reports(request).filter(pk=deleted.article_id).select_related("source").first()
    if article is None:
        raise Http404("No such passage.")
    context = {"article": article, "pk": pk, "kind": kind}
    return None, render(request, "public/passage_gone.html", context, status=410)


def _passage_page(request, kind, pk):
    passage, gone = _passage_or_gone(request, kind, pk)
    if gone is not None:
        return gone
    article = passage.article
    body = article.body
    context = {
        kind: passage,
        "passage": passage,
        "article": article,
        "before": body[max(0, body.rfind("\n", 0, passage.start) + 1) : passage.start],
        "after": body[passage.end : (body.find("\n", passage.end) + 1 or len(body) + 1) - 1],
        "passage_url": passage.passage_url(),
        "permalink": request.build_absolute_uri(passage.get_absolute_url()),
        "citation": citations.passage_reference(passage, request),
        "citation_tags": citations.passage_highwire(passage, request),
        "bibtex": citations.passage_bibtex(passage, request),
        "annotation_url": reverse(f"api:{kind}-annotation", kwargs={"pk": passage.pk}),
        "bibtex_url": reverse(f"{kind}-bibtex", kwargs={"pk": passage.pk}),
        "ris_url": reverse(f"{kind}-ris", kwargs={"pk": passage.pk}),
    }
    return render(request, f"public/{kind}_detail.html", context)


def _passage_download(request, kind, pk, build, content_type, extension):
    passage, gone = _passage_or_gone(request, kind, pk)
    if gone is not None:
        return gone
    response = HttpResponse(build(passage, request), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="diplomacy-archive-{kind}-{passage.pk}.{extension}"'
    return response


BIBTEX = "application/x-bibtex; charset=utf-8"
RIS = "application/x-research-info-systems; charset=utf-8"


@require_safe
def quote_detail(request, pk):
    """A quote's permanent address: the words, who said them, and the passage in the report."""
    return _passage_page(request, "quote", pk)


@require_safe
def quote_bibtex(request, pk):
    return _passage_download(request, "quote", pk, citations.passage_bibtex, BIBTEX, "bib")


@require_safe
def quote_ris(request, pk):
    return _passage_download(request, "quote", pk, citations.passage_ris, RIS, "ris")


@require_safe
def mention_detail(request, pk):
    """A mention's permanent address: the name as printed, whom it names, and the passage in the report."""
    return _passage_page(request, "mention", pk)


@require_safe
def mention_bibtex(request, pk):
    return _passage_download(request, "mention", pk, citations.passage_bibtex, BIBTEX, "bib")


@require_safe
def mention_ris(request, pk):
    return _passage_download(request, "mention", pk, citations.passage_ris, RIS, "ris")


# --- the report ----------------------------------------------------------------------------------


def _article_version(request, pk):
    """What changes the report page: the report itself and its quotes and mentions (one query)."""
    cached = getattr(request, "_article_version", None)
    if cached is not None:
        return cached

    def latest(model):
        rows = model.objects.filter(article=OuterRef("pk")).order_by().values("article")
        return Subquery(rows.annotate(v=Max("updated_at")).values("v")), Subquery(
            rows.annotate(n=Count("pk")).values("n")
        )

    quoted, quotes = latest(Quote)
    mentioned, mentions = latest(Mention)
    row = (
        _reports(request)
        .filter(pk=pk)
        .annotate(quoted=quoted, quotes_n=quotes, mentioned=mentioned, mentions_n=mentions)
        .values("updated_at", "status", "quoted", "quotes_n", "mentioned", "mentions_n")
        .first()
    )
    request._article_version = row or {}
    return request._article_version


def _article_last_modified(request, pk):
    row = _article_version(request, pk)
    stamps = [row[k] for k in ("updated_at", "quoted", "mentioned") if row.get(k)]
    return max(stamps) if stamps else None


def _article_etag(request, pk):
    row = _article_version(request, pk)
    if not row:
        return None
    # The inline BibTeX carries the accessed date (`urldate`), so the page is another one each day.
    key = "|".join(str(row[k]) for k in sorted(row))
    key += f"|{translation.get_language()}|{citations.VERSION}|{citations.accessed().isoformat()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@require_safe
@condition(etag_func=_article_etag, last_modified_func=_article_last_modified)
def article_detail(request, pk):
    article = get_object_or_404(
        _reports(request)
        .select_related("source")
        .prefetch_related(
            Prefetch("quotes", queryset=Quote.objects.select_related("speaker", "addressee", "meeting")),
            Prefetch(
                "mentions", queryset=Mention.objects.select_related("participant", "place", "meeting", "agreement")
            ),
            Prefetch("meetings", queryset=Meeting.objects.select_related("place").order_by("start")),
            "agreements",
            "topics",
            "participants",
        ),
        pk=pk,
    )
    quotes, mentions = list(article.quotes.all()), list(article.mentions.all())
    people = [p for p in article.participants.all() if p.kind == Participant.Kind.PERSON]
    parties = [p for p in article.participants.all() if p.kind != Participant.Kind.PERSON]
    places = {m.place.pk: m.place for m in mentions if m.place_id}
    places.update({m.place.pk: m.place for m in article.meetings.all() if m.place_id})
    quoted = Counter(q.speaker for q in quotes if q.speaker)
    context = {
        "article": article,
        "blocks": body_blocks(article, quotes, mentions),
        "quotes": quotes,
        "quoted": quoted.most_common(),
        "people": people,
        "parties": parties,
        "places": list(places.values()),
        "permalink": request.build_absolute_uri(article.get_absolute_url()),
        "citation": citations.reference(article, request),
        "citation_tags": citations.highwire(article, request),
        "bibtex": citations.bibtex(article, request),
        "pdf_url": reverse("article-pdf", kwargs={"pk": article.pk}),
        "json_ld": citations.json_ld(article, request, people=people, parties=parties),
    }
    return mark_unpublished(render(request, "public/article_detail.html", context), article)


def _download(request, pk, build, content_type, extension):
    article = get_object_or_404(_reports(request).select_related("source"), pk=pk)
    response = HttpResponse(build(article, request), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="diplomacy-archive-{article.pk}.{extension}"'
    return mark_unpublished(response, article)


@require_safe
def article_bibtex(request, pk):
    return _download(request, pk, citations.bibtex, "application/x-bibtex; charset=utf-8", "bib")


@require_safe
def article_ris(request, pk):
    return _download(request, pk, citations.ris, "application/x-research-info-systems; charset=utf-8", "ris")


# --- the diplomatic record -----------------------------------------------------------------------


def _coverage(request, **lookup):
    """The reports `request.user` may read that cover one record, each text once (`first_printings`):
    `lookup` follows one link (a link table holds a pair once) or names ids, so no report comes twice
    and no DISTINCT makes the database sort them all first."""
    matching = _reports(request).filter(**lookup)
    return first_printings(matching, matching).select_related("source")


def _listed(request, coverage, size):
    """The first `size` reports of a coverage list, with the copies of each (`attach_copies`)."""
    return attach_copies(coverage[:size], _reports(request))


def _report_and_story_counts(matching):
    """(reports, texts) among `matching`: copies of one text (`Article.copy_group`) are one text. One query."""
    counts = matching.order_by().aggregate(
        reports=Count("pk"), grouped=Count("copy_group"), groups=Count("copy_group", distinct=True)
    )
    return counts["reports"], counts["reports"] - counts["grouped"] + counts["groups"]


@require_safe
def participant_detail(request, slug):
    participant = get_object_or_404(
        visible_records(Participant, request.user).prefetch_related("offices", "aliases"), slug=slug
    )
    meetings = visible_records(Meeting, request.user)
    participations = list(
        Participation.objects.filter(participant=participant, meeting__in=meetings)
        .select_related("meeting", "meeting__place")
        .order_by("-meeting__start", "meeting__title_ar")
    )
    years = [(year, list(group)) for year, group in groupby(participations, key=lambda p: p.meeting.start.year)]
    quotes = list(
        Quote.objects.visible_to(request.user)
        .filter(speaker=participant)
        .select_related("article", "article__source", "addressee", "meeting")
        .order_by(Coalesce("article__dated", "meeting__start").desc(nulls_last=True), "article", "start")[:50]
    )
    met_most = Participant.objects.filter(
        participations__meeting__participations__participant=participant, participations__meeting__in=meetings
    )
    met_most = met_most.exclude(pk=participant.pk).annotate(n=Count("participations__meeting", distinct=True))
    coverage = _coverage(request, participants=participant)
    # counted over the whole archive: kept per data generation for the public (`derived.kept`)
    counted = derived.kept(
        f"participant:{participant.pk}",
        lambda: {
            "met_most": list(met_most.order_by("-n", "name_ar")[:10]),
            "counts": _report_and_story_counts(_reports(request).filter(participants=participant)),
        },
        user=request.user,
    )
    agreements = list(
        AgreementParty.objects.filter(participant=participant, agreement__in=visible_records(Agreement, request.user))
        .select_related("agreement")
        .order_by(F("agreement__announced").desc(nulls_last=True))
    )
    context = {
        "participant": participant,
        "years": years,
        "meeting_count": len(participations),
        "quotes": quotes,
        "met_most": counted["met_most"],
        "agreement_roles": agreements,
        "coverage": _listed(request, coverage, 20),
        "coverage_count": counted["counts"][0],
        "story_count": counted["counts"][1],
        "coverage_url": reverse("article-list") + f"?participant={participant.slug}",
        "ledger_url": reverse("quote-list") + f"?speaker={participant.slug}",
    }
    return render(request, "public/participant_detail.html", context)


def _office_on(offices, day):
    """From prefetched offices, the one held on `day` (the latest begun), as Participant.office_on does."""
    held = [o for o in offices if (o.start is None or o.start <= day) and (o.end is None or o.end >= day)]
    return max(held, key=lambda o: (o.start is not None, o.start), default=None)


@require_safe
def meeting_detail(request, slug):
    meetings = visible_records(Meeting, request.user)
    meeting = get_object_or_404(
        meetings.select_related("place", "part_of").prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("participant").prefetch_related("participant__offices"),
            ),
            Prefetch("parts", queryset=meetings.order_by("start", "title_ar")),
            Prefetch("agreements", queryset=visible_records(Agreement, request.user)),
            "topics",
        ),
        slug=slug,
    )
    participations = list(meeting.participations.all())
    for participation in participations:
        participation.office = _office_on(participation.participant.offices.all(), meeting.start)
    context = {
        "meeting": meeting,
        "participations": participations,
        "quotes": list(
            Quote.objects.visible_to(request.user)
            .filter(meeting=meeting)
            .select_related("speaker", "article")
            .order_by("article", "start")
        ),
        "coverage": _listed(request, _coverage(request, meetings=meeting), 50),
        "coverage_url": reverse("article-list") + f"?meeting={meeting.slug}",
        # every covering report's quotes matched against the others': kept per data generation (public)
        "comparison": derived.kept(
            f"comparison:{meeting.pk}", lambda: outlet_comparison(meeting, _reports(request)), user=request.user
        ),
        "evidence": according_to(meeting, request.user),
    }
    return render(request, "public/meeting_detail.html", context)


@require_safe
def agreement_detail(request, slug):
    agreement = get_object_or_404(
        visible_records(Agreement, request.user).prefetch_related(
            Prefetch("party_roles", queryset=AgreementParty.objects.select_related("participant")),
            Prefetch(
                "negotiated_at",
                queryset=visible_records(Meeting, request.user).select_related("place").order_by("start"),
            ),
            "topics",
        ),
        slug=slug,
    )
    dates = [
        (label, getattr(agreement, field))
        for field, label in (
            ("announced", _("Announced")),
            ("signed", _("Signed")),
            ("effective", _("In effect from")),
            ("ended", _("Ended")),
        )
    ]
    context = {
        "agreement": agreement,
        "dates": dates,
        "coverage": _listed(request, _coverage(request, agreements=agreement), 50),
        "coverage_url": reverse("article-list") + f"?agreement={agreement.slug}",
        "evidence": according_to(agreement, request.user),
    }
    return render(request, "public/agreement_detail.html", context)


@require_safe
def place_detail(request, slug):
    """A place: the meetings held there and the reports that name it or cover a meeting held there."""
    place = get_object_or_404(Place, slug=slug)
    meetings = list(Meeting.objects.filter(place=place).order_by("-start", "title_ar"))
    years = [(year, list(group)) for year, group in groupby(meetings, key=lambda m: m.start.year)]
    naming = _reports(request).filter(Q(mentions__place=place) | Q(meetings__place=place))
    report_count, story_count = _report_and_story_counts(_reports(request).filter(pk__in=naming))
    context = {
        "place": place,
        "years": years,
        "meeting_count": len(meetings),
        "coverage": _listed(request, _coverage(request, pk__in=naming), 50),
        "coverage_count": report_count,
        "story_count": story_count,
    }
    return render(request, "public/place_detail.html", context)


# --- timeline and sources ------------------------------------------------------------------------


@require_safe
def timeline(request):
    """Meetings and agreements month by month, one year at a time (the latest by default)."""
    reports = _reports(request)
    public_meetings = visible_records(Meeting, request.user)
    public_agreements = visible_records(Agreement, request.user)
    years = sorted(
        {d.year for d in public_meetings.dates("start", "year")}
        | {d.year for d in public_agreements.exclude(announced=None).dates("announced", "year")},
        reverse=True,
    )
    raw_year = request.GET.get("year")
    if raw_year is not None and not (raw_year.isdigit() and int(raw_year) in years):
        return _bad_request(request, _("The timeline has no year %(year)s.") % {"year": raw_year})
    year = int(raw_year) if raw_year else (years[0] if years else None)
    months = OrderedDict()
    undated = []
    if year is not None:
        meetings = public_meetings.filter(start__year=year).select_related("place").order_by("start", "title_ar")
        for meeting in meetings:
            if meeting.date_precision == "year":
                undated.append({"kind": "meeting", "item": meeting})
            else:
                months.setdefault(meeting.start.month, []).append(
                    {"kind": "meeting", "item": meeting, "date": meeting.start}
                )
        agreement_dates = (
            ("announced", _("announced")),
            ("signed", _("signed")),
            ("effective", _("in effect")),
            ("ended", _("ended")),
        )
        year_filter = Q()
        for field, _label in agreement_dates:
            year_filter |= Q(**{f"{field}__year": year})
        for agreement in public_agreements.filter(year_filter):
            for field, label in agreement_dates:
                day = getattr(agreement, field)
                if day and day.year == year:
                    months.setdefault(day.month, []).append(
                        {"kind": "agreement", "item": agreement, "date": day, "event": label}
                    )
        published = reports.filter(dated__year=year).values_list("dated__month").annotate(n=Count("pk")).order_by()
        reports = dict(published)
    else:
        reports = {}
    calendar = []
    for month in sorted(set(months) | set(reports)):
        events = sorted(months.get(month, []), key=lambda e: (e["date"], e["kind"]))
        calendar.append({"month": month, "events": events, "reports": reports.get(month, 0)})
    context = {"years": years, "year": year, "calendar": calendar, "undated": undated}
    return render(request, "public/timeline.html", context)


def _sources_counted(user):
    reports = Article.objects.visible_to(user)
    # A source is listed once a report of it is public: one known only from drafts stays unnamed.
    return list(
        visible_records(Source, user)
        .annotate(n=Count("articles", filter=Q(articles__in=reports.order_by().values("pk"))))
        .order_by("-n", "name_ar")
    )


@require_safe
def source_list(request):
    # every outlet's reports counted: kept per data generation for the public (`derived.kept`)
    sources = derived.kept("sources", lambda: _sources_counted(request.user), user=request.user)
    return render(request, "public/source_list.html", {"sources": sources})


@require_safe
def source_detail(request, slug):
    source = get_object_or_404(visible_records(Source, request.user), slug=slug)
    matching = _reports(request).filter(source=source)
    try:
        every_copy = _every_copy(request)
        # counted over all the outlet's reports: kept per data generation for the public (`derived.kept`)
        report_count, story_count = derived.kept(
            f"source:{source.pk}", lambda: _report_and_story_counts(matching), user=request.user
        )
        reports = matching if every_copy else first_printings(matching, matching)
        page = _page(request, reports.select_related("source"), count=report_count if every_copy else story_count)
    except BadQuery as error:
        return _bad_request(request, str(error))
    attach_copies(page.object_list, _reports(request))
    context = {
        "source": source,
        "page": page,
        "every_copy": every_copy,
        "report_count": report_count,
        "story_count": story_count,
    }
    return render(request, "public/source_detail.html", context)


# --- for machines --------------------------------------------------------------------------------


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /search/",
        "Disallow: /en/search/",
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")

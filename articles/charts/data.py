"""Charts of the published archive: grouped database queries, drawn with matplotlib (Agg).

One rule for every chart: it counts what the *filtered published reports*
cover. The filters are the shared `ArticleFilter`'s date range, country and
topic, so a chart and the report list agree on which reports are in. Drafts,
reports in review and withdrawn reports never count, nor their quotes or the
meetings and agreements only they cover. Charts are the public view for
everyone, editors included (`PUBLIC`, the anonymous `visible_to`): they are
cached and shared, so they must not depend on who asks; the topics offered in
the filter form are those published reports make public.

Each chart is a `ChartTable` (the numbers, also served as an HTML table and as
CSV) and a drawing made from that table. Counting happens in the database
(`TruncMonth`, `Count`, `values().annotate()`); Python only sees one row a
month, a speaker or a pair. Drawn PNGs and tables are cached under a key that
holds the chart, the language, the filters and the archive's data generation
(`articles.derived.generation`, raised by every write), so an edit anywhere redraws it.

Every string handed to matplotlib goes through `articles.arabic.shaping.label`
(shaped; in visual order unless matplotlib reorders by itself, as 3.11+ does).
"""

import datetime
import hashlib
import io
import json
import math
from dataclasses import dataclass, field

import matplotlib
from django import forms
from django.core.cache import cache
from django.db.models import Count, DateField, Exists, F, OuterRef
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.figure import Figure

from articles import derived
from articles.arabic.shaping import font_path, label
from articles.display import country_name, foreign_arabic, local_name
from articles.filters import ArticleFilter
from articles.models import Article, Quote, visible_records
from articles.spreadsheets import csv_document
from diplomacy.models import Agreement, Meeting, Participant, Participation, Topic, in_language

# Bump when a drawing or a table changes shape, so cached images are not reused.
CHARTS_CODE_VERSION = 1
CACHE_SECONDS = 24 * 60 * 60
TOP_SPEAKERS = 15
TOP_PAIRS = 25
# Agreements are counted by month; past this many months they are counted by year.
MONTHS_BEFORE_YEARS = 36

for _bold in (False, True):
    font_manager.fontManager.addfont(str(font_path(bold=_bold)))
FONT_FAMILY = font_manager.FontProperties(fname=str(font_path())).get_name()
RC = {
    "font.family": FONT_FAMILY,
    # A "$" in a name must stay a dollar sign, not start mathtext.
    "text.parse_math": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
COLOURS = ["#1f5f8b", "#c0504d", "#4f8f3a", "#8064a2", "#d08b2c", "#2c9aa0", "#7f7f7f", "#a6563c"]


class ChartFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("published_after"), cleaned.get("published_before")
        if after and before and after > before:
            raise forms.ValidationError(_("The start of the date range is after its end."))
        return cleaned


class NamedOptions(forms.SelectMultiple):
    """A multiple select whose Arabic options, on an English page, say so (`lang="ar" dir="rtl"`)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if foreign_arabic(label):
            option["attrs"].update({"lang": "ar", "dir": "rtl"})
        return option


def _countries_involved():
    """The countries of the participants some published report involves: one probe a participant (a
    few hundred at most) rather than a join over every report's people, kept per data generation."""
    published = Article.participants.through.objects.filter(
        participant=OuterRef("pk"), article__status=Article.Status.PUBLISHED
    )
    codes = Participant.objects.filter(Exists(published)).exclude(country="").order_by()
    return sorted(set(codes.values_list("country", flat=True)))


def occurring_countries():
    """(code, name) of the countries the published reports involve, by name in the reader's language."""
    codes = derived.kept("chart-countries", _countries_involved, user=None)
    return sorted(((code, country_name(code)) for code in codes), key=lambda choice: choice[1])


class ChartFilter(ArticleFilter):
    """The shared report filter, narrowed to what charts offer: date range, country and topic.

    Only the countries and topics the published reports involve are offered, by name in the
    reader's language (not 250 ISO codes); the offered list is read only when the form is shown.
    """

    q = None
    participant = None
    source = None
    meeting = None
    agreement = None

    class Meta(ArticleFilter.Meta):
        fields = ["country", "topic", "published_after", "published_before"]
        form = ChartFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The form lists its topics: only those the public reports reach, and one known only from
        # unpublished reports is refused like an unknown one.
        self.filters["topic"].queryset = visible_records(Topic, None)
        fields = self.form.fields
        # every ISO code stays valid (a bookmarked filter keeps working); only those that occur are offered
        fields["country"].widget = NamedOptions(attrs={"size": 6})
        fields["country"].widget.choices = CallableChoiceIterator(occurring_countries)
        topics = fields["topic"]
        topics.label_from_instance = local_name
        topics.widget = NamedOptions(attrs={"size": 6})
        topics.widget.choices = topics.choices


def public_reports():
    """What every chart counts from: the reports anyone may read (the archive's one rule, for nobody)."""
    return Article.objects.visible_to(None)


class InvalidFilters(ValueError):
    """The chart filters did not validate; `errors` maps each field to its messages."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in errors.items()))
        self.errors = errors


def bound_filter(params):
    """A `ChartFilter` over published reports, always bound (no parameters means no filter)."""
    return ChartFilter(params if params is not None else {}, queryset=public_reports())


def filters_active(filterset):
    return any(filterset.form.cleaned_data.get(name) for name in filterset.form.cleaned_data)


def filtered_reports(filterset):
    """The published reports the filters let through, as a plain queryset (no joins, no ordering)."""
    if not filterset.is_valid():
        raise InvalidFilters({name: [str(e) for e in errs] for name, errs in filterset.errors.items()})
    if not filters_active(filterset):
        return public_reports()
    return Article.objects.filter(pk__in=filterset.qs.order_by().values("pk"))


def filters_key(filterset):
    """A short stable digest of the cleaned filter values, for cache keys."""
    cleaned = filterset.form.cleaned_data
    values = {
        "country": sorted(cleaned.get("country") or []),
        "topic": sorted(t.slug for t in (cleaned.get("topic") or [])),
        "after": cleaned["published_after"].isoformat() if cleaned.get("published_after") else "",
        "before": cleaned["published_before"].isoformat() if cleaned.get("published_before") else "",
    }
    return hashlib.sha1(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class ChartTable:
    """A chart's numbers: what the PNG shows, the HTML table lists and the CSV holds."""

    name: str
    title: str
    description: str
    columns: list
    rows: list
    notes: list = field(default_factory=list)
    # Left-to-right columns of numbers start at index `first_number_column`.
    first_number_column: int = 1

    def csv_bytes(self):
        """UTF-8 with a byte-order mark, so spreadsheet programs read the Arabic right."""
        return csv_document(self.columns, self.rows)


def _month_label(day):
    return f"{day.year:04d}-{day.month:02d}"


def _covered_by(through_field, reports):
    """`Exists` over an Article m2m table: the record is covered by one of `reports`."""
    through = getattr(Article, through_field).through
    target = {"meetings": "meeting", "agreements": "agreement"}[through_field]
    return Exists(through.objects.filter(**{target: OuterRef("pk")}, article__in=reports))


# --- the four charts: data -----------------------------------------------------------------------


def activity_table(reports, language):
    """Reports (by publication month, printed or approximate) and meetings (by start month) per month."""
    report_months = (
        reports.exclude(dated=None)
        .annotate(month=TruncMonth("dated"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    meeting_months = (
        Meeting.objects.filter(_covered_by("meetings", reports))
        .annotate(month=TruncMonth("start"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    undated = reports.filter(dated=None).count()
    counts = {}
    for row in report_months:
        counts.setdefault(row["month"], [0, 0])[0] = row["n"]
    for row in meeting_months:
        counts.setdefault(row["month"], [0, 0])[1] = row["n"]
    rows = [[_month_label(month), n_reports, n_meetings] for month, (n_reports, n_meetings) in sorted(counts.items())]
    notes = []
    if undated:
        notes.append(
            _("%(n)s published reports have no date, printed or approximate, and are not counted by month.")
            % {"n": undated}
        )
    return ChartTable(
        name="activity",
        title=_("Reports and meetings per month"),
        description=_("Bars: reports published each month; below: meetings held each month that the reports cover."),
        columns=[_("Month"), _("Reports"), _("Meetings")],
        rows=rows,
        notes=notes,
    )


def speakers_table(reports, language):
    """The speakers quoted most often in the reports."""
    # Grouped by the speaker's id alone, so the database can hash rather than sort.
    top = list(
        Quote.objects.filter(article__in=reports, speaker__isnull=False)
        .values("speaker")
        .annotate(quotes=Count("pk"))
        .order_by("-quotes", "speaker")[:TOP_SPEAKERS]
    )
    names = {
        p["pk"]: in_language(language, p["name_ar"], p["name_en"])
        for p in Participant.objects.filter(pk__in=[row["speaker"] for row in top]).values("pk", "name_ar", "name_en")
    }
    return ChartTable(
        name="speakers",
        title=_("Most-quoted speakers"),
        description=_("The %(n)s speakers quoted most often, with the number of their quotes.") % {"n": TOP_SPEAKERS},
        columns=[_("Speaker"), _("Quotes")],
        rows=[[names[row["speaker"]], row["quotes"]] for row in top],
    )


def network_table(reports, language):
    """Pairs of participants who took part in the same meetings, with how many meetings they shared."""
    meetings = Meeting.objects.filter(_covered_by("meetings", reports))
    pairs = (
        Participation.objects.filter(meeting__in=meetings)
        .annotate(other=F("meeting__participations__participant"))
        .filter(other__gt=F("participant"))
        .values("participant", "other")
        .annotate(shared=Count("meeting", distinct=True))
        .order_by("-shared", "participant", "other")[:TOP_PAIRS]
    )
    pairs = list(pairs)
    ids = {row["participant"] for row in pairs} | {row["other"] for row in pairs}
    names = {
        p["pk"]: in_language(language, p["name_ar"], p["name_en"])
        for p in Participant.objects.filter(pk__in=ids).values("pk", "name_ar", "name_en")
    }
    rows = [[names[row["participant"]], names[row["other"]], row["shared"]] for row in pairs]
    return ChartTable(
        name="network",
        title=_("Who meets whom"),
        description=_(
            "Participants joined by a line when they took part in the same meetings; the thicker, the more meetings."
        ),
        columns=[_("Participant"), _("Met with"), _("Shared meetings")],
        rows=rows,
        first_number_column=2,
    )


def agreements_table(reports, language):
    """Agreements by the month (or year) they were announced, signed or took effect, split by status."""
    agreements = Agreement.objects.filter(_covered_by("agreements", reports)).annotate(
        when=Coalesce("announced", "signed", "effective", output_field=DateField())
    )
    grouped = (
        agreements.exclude(when=None)
        .annotate(month=TruncMonth("when", output_field=DateField()))
        .values("month", "status")
        .annotate(n=Count("pk"))
        .order_by("month", "status")
    )
    undated = agreements.filter(when=None).count()
    grouped = list(grouped)
    by_year = False
    if grouped:
        first, last = grouped[0]["month"], grouped[-1]["month"]
        by_year = (last.year - first.year) * 12 + last.month - first.month >= MONTHS_BEFORE_YEARS
    statuses = [s for s in Agreement.Status if any(row["status"] == s.value for row in grouped)]
    counts = {}
    for row in grouped:
        period = str(row["month"].year) if by_year else _month_label(row["month"])
        bucket = counts.setdefault(period, dict.fromkeys((s.value for s in statuses), 0))
        bucket[row["status"]] += row["n"]
    rows = [[period, *(bucket[s.value] for s in statuses)] for period, bucket in sorted(counts.items())]
    notes = []
    if undated:
        notes.append(_("%(n)s agreements have no date and are not shown.") % {"n": undated})
    return ChartTable(
        name="agreements",
        title=_("Agreements by status over time"),
        description=_(
            "Agreements the reports cover, by the %(period)s they were announced (or signed, or took effect), "
            "coloured by their status today."
        )
        % {"period": _("year") if by_year else _("month")},
        columns=[_("Year") if by_year else _("Month"), *(str(s.label) for s in statuses)],
        rows=rows,
        notes=notes,
    )


# --- drawing -------------------------------------------------------------------------------------


def _rtl(language):
    try:
        return get_language_info(language)["bidi"]
    except KeyError:
        return False


def new_figure(width, height, language, *, start=60, end=25, top=55, bottom=40):
    """A figure with fixed margins in pixels; `start` is the side the value axis labels sit on.

    Fixed margins instead of matplotlib's constrained layout: measuring every
    label to place the axes took half of the drawing time. The figure is not
    tied to pyplot's global state, so requests in threads cannot tangle.
    """
    fig = Figure(figsize=(width, height), dpi=100)
    w, h = width * 100, height * 100
    # A margin sized for a very long name (a participant called with a whole paragraph) would leave
    # no room for the axes, which matplotlib refuses: keep at least a third of the width to draw in.
    start = min(start, w * 2 / 3 - end)
    left, right = (end, start) if _rtl(language) else (start, end)
    fig.subplots_adjust(left=left / w, right=1 - right / w, top=1 - top / h, bottom=bottom / h)
    return fig


def set_title(ax, title, language):
    # Raised clear of the panel label that may sit above the axes.
    ax.set_title(label(title), loc="right" if _rtl(language) else "left", fontsize=13, fontweight="bold", pad=20)


def panel_label(ax, text, language):
    """What the value axis counts, written level at the axis' top start corner.

    Used instead of a y-axis label: rotated Arabic is hard to read.
    """
    rtl = _rtl(language)
    ax.text(
        1.0 if rtl else 0.0,
        1.02,
        label(text),
        transform=ax.transAxes,
        ha="right" if rtl else "left",
        va="bottom",
        fontsize=9,
        color="#444444",
    )


def empty_message(ax):
    ax.text(0.5, 0.5, label(_("Nothing to show for these filters.")), ha="center", va="center", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _month_axis(ax, first, last, max_labels=12):
    """A time axis from the month of `first` to the end of the month of `last`, labelled on the first of
    months only (so a month is never labelled twice) with at most `max_labels` labels; past that many
    years, by year. A span shorter than three months is widened to three, so one month is not a sliver."""
    first, last = first.replace(day=1), last.replace(day=1)
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months < 3:
        first, last = _previous_month(first), _next_month(last)
        months += 2
    ax.set_xlim(mdates.date2num(first), mdates.date2num(_next_month(last)))
    if months > 12 * max_labels:
        ax.xaxis.set_major_locator(mdates.YearLocator(base=math.ceil(months / 12 / max_labels)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=math.ceil(months / max_labels)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))


def _count_axis(ax, values):
    """Whole numbers from zero, with room above the tallest (an all-zero panel still reads 0 to 1)."""
    ax.set_ylim(0, max([1, *values]) * 1.15)
    ax.yaxis.get_major_locator().set_params(integer=True)


def _month_date(label):
    year, month = label.split("-")[:2]
    return datetime.date(int(year), int(month), 1)


def _next_month(day):
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _previous_month(day):
    return datetime.date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


def month_steps(ax, counts, **style):
    """Counts per month (`[(first day of month, n), ...]`) as one filled step outline.

    One artist however many months: a bar chart makes one patch a month, and
    over ten years of months those patches were most of the drawing time.
    Months without a count are drawn as zero.
    """
    by_month = {day.replace(day=1): n for day, n in counts}
    month, last = min(by_month), max(by_month)
    edges, values = [month], []
    while month <= last:
        values.append(by_month.get(month, 0))
        month = _next_month(month)
        edges.append(month)
    return ax.stairs(values, mdates.date2num(edges), fill=True, **style)


def draw_activity(table, language):
    with matplotlib.rc_context(RC):
        fig = new_figure(8, 4.2, language, start=70, bottom=30)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[2, 1])
        set_title(top, table.title, language)
        if not table.rows:
            empty_message(top)
            bottom.set_visible(False)
            return fig
        months = [_month_date(row[0]) for row in table.rows]
        month_steps(top, [(m, row[1]) for m, row in zip(months, table.rows, strict=True)], color=COLOURS[0])
        month_steps(bottom, [(m, row[2]) for m, row in zip(months, table.rows, strict=True)], color=COLOURS[1])
        panel_label(top, table.columns[1], language)
        panel_label(bottom, table.columns[2], language)
        for ax, column in ((top, 1), (bottom, 2)):
            _count_axis(ax, [row[column] for row in table.rows])
            ax.grid(axis="y", alpha=0.3)
        _month_axis(bottom, months[0], months[-1])
        if _rtl(language):
            for ax in (top, bottom):
                ax.yaxis.tick_right()
                ax.yaxis.set_label_position("right")
                ax.spines["right"].set_visible(True)
                ax.spines["left"].set_visible(False)
    return fig


def draw_speakers(table, language):
    with matplotlib.rc_context(RC):
        # Room for the longest name beside the bars (about 7 pixels a character at this size).
        names = max((len(row[0]) for row in table.rows), default=10)
        fig = new_figure(8, 1.1 + 0.34 * max(len(table.rows), 3), language, start=20 + 7 * names, bottom=45)
        ax = fig.add_subplot()
        set_title(ax, table.title, language)
        if not table.rows:
            empty_message(ax)
            return fig
        rows = list(reversed(table.rows))  # the most quoted at the top
        positions = range(len(rows))
        bars = ax.barh(positions, [row[1] for row in rows], color=COLOURS[0])
        ax.set_yticks(positions, labels=[label(row[0]) for row in rows])
        ax.bar_label(bars, labels=[str(row[1]) for row in rows], padding=3)
        ax.set_xlabel(label(table.columns[1]))
        ax.xaxis.get_major_locator().set_params(integer=True)
        if _rtl(language):
            # Bars grow from the right, where Arabic reading starts; names on the right.
            ax.invert_xaxis()
            ax.yaxis.tick_right()
            ax.spines["right"].set_visible(True)
            ax.spines["left"].set_visible(False)
    return fig


def draw_network(table, language):
    with matplotlib.rc_context(RC):
        fig = new_figure(8, 6, language, start=10, end=10, bottom=10)
        ax = fig.add_subplot()
        set_title(ax, table.title, language)
        ax.set_axis_off()
        if not table.rows:
            empty_message(ax)
            return fig
        degree = {}
        for a, b, n in table.rows:
            degree[a] = degree.get(a, 0) + n
            degree[b] = degree.get(b, 0) + n
        # Around a circle, the busiest first (at the top), then clockwise in RTL, anticlockwise in LTR.
        nodes = sorted(degree, key=lambda name: (-degree[name], name))
        turn = -1 if _rtl(language) else 1
        position = {}
        for i, name in enumerate(nodes):
            angle = math.pi / 2 + turn * 2 * math.pi * i / len(nodes)
            position[name] = (math.cos(angle), math.sin(angle))
        heaviest = max(row[2] for row in table.rows)
        for a, b, n in table.rows:
            (x1, y1), (x2, y2) = position[a], position[b]
            ax.plot([x1, x2], [y1, y2], color=COLOURS[0], alpha=0.35 + 0.5 * n / heaviest, lw=1 + 5 * n / heaviest)
        biggest = max(degree.values())
        for name in nodes:
            x, y = position[name]
            ax.scatter([x], [y], s=80 + 400 * degree[name] / biggest, color=COLOURS[1], zorder=3)
            ax.annotate(
                label(name),
                (x, y),
                xytext=(x * 1.13, y * 1.13),
                ha="left" if x > 0.15 else "right" if x < -0.15 else "center",
                va="bottom" if y > 0.15 else "top" if y < -0.15 else "center",
                fontsize=10,
            )
        ax.set_xlim(-1.6, 1.6)
        ax.set_ylim(-1.3, 1.3)
        ax.set_aspect("equal")
    return fig


def draw_agreements(table, language):
    with matplotlib.rc_context(RC):
        legend_rows = math.ceil((len(table.columns) - 1) / 4)
        fig = new_figure(8, 4 + 0.25 * legend_rows, language, start=55, bottom=45 + 22 * legend_rows)
        ax = fig.add_subplot()
        set_title(ax, table.title, language)
        if not table.rows:
            empty_message(ax)
            return fig
        periods = [row[0] for row in table.rows]
        positions = range(len(periods))
        below = [0] * len(periods)
        for i, status in enumerate(table.columns[1:], start=1):
            heights = [row[i] for row in table.rows]
            ax.bar(positions, heights, bottom=below, color=COLOURS[(i - 1) % len(COLOURS)], label=label(status))
            below = [a + b for a, b in zip(below, heights, strict=True)]
        step = max(1, math.ceil(len(periods) / 12))
        ax.set_xticks(list(positions)[::step], labels=periods[::step])
        panel_label(ax, _("Agreements"), language)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.grid(axis="y", alpha=0.3)
        # Below the bars, in reading order, so it never hides them.
        handles, labels = ax.get_legend_handles_labels()
        if _rtl(language):
            handles, labels = handles[::-1], labels[::-1]
        fig.legend(
            handles,
            labels,
            loc="lower center",
            ncol=min(4, len(labels)),
            frameon=False,
            fontsize=9,
            markerfirst=not _rtl(language),
        )
        if _rtl(language):
            ax.yaxis.tick_right()
            ax.yaxis.set_label_position("right")
            ax.spines["right"].set_visible(True)
            ax.spines["left"].set_visible(False)
    return fig


CHARTS = {
    "activity": (activity_table, draw_activity),
    "speakers": (speakers_table, draw_speakers),
    "network": (network_table, draw_network),
    "agreements": (agreements_table, draw_agreements),
}


def figure_png(fig):
    """The figure as PNG bytes."""
    out = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig.savefig(out, format="png", dpi=100, metadata={"Software": None})
    return out.getvalue()


def _cache_key(kind, name, language, filterset):
    # the archive's data generation (`derived.generation`): every write raises it, so an edit redraws
    return f"charts:{CHARTS_CODE_VERSION}:{kind}:{name}:{language}:{filters_key(filterset)}:{derived.generation()}"


def chart_table(name, filterset, language=None):
    """The chart's table, from the cache when the data and filters are unchanged."""
    language = language or get_language()
    reports = filtered_reports(filterset)
    key = _cache_key("table", name, language, filterset)
    table = cache.get(key)
    if table is None:
        table = CHARTS[name][0](reports, language)
        cache.set(key, table, CACHE_SECONDS)
    return table


def chart_png(name, filterset, language=None):
    """The chart as PNG bytes, drawn again only when the data or the filters changed."""
    language = language or get_language()
    reports = filtered_reports(filterset)
    key = _cache_key("png", name, language, filterset)
    image = cache.get(key)
    if image is None:
        table = CHARTS[name][0](reports, language)
        image = figure_png(CHARTS[name][1](table, language))
        cache.set(key, image, CACHE_SECONDS)
    return image


# --- small timelines for participant and agreement pages ------------------------------------------


def participant_timeline_figure(participant, language):
    """Published reports involving `participant` per month, and the meetings they took part in."""
    reports = (
        public_reports()
        .filter(participants=participant)
        .exclude(dated=None)
        .annotate(month=TruncMonth("dated"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    meetings = (
        Meeting.objects.filter(participations__participant=participant)
        .filter(_covered_by("meetings", public_reports()))
        .annotate(month=TruncMonth("start"))
        .values("month")
        .annotate(n=Count("pk", distinct=True))
        .order_by("month")
    )
    report_rows = [(row["month"], row["n"]) for row in reports]
    meeting_rows = [(row["month"], row["n"]) for row in meetings]
    title = participant.name_in(language)
    return _timeline(
        title,
        language,
        bars=(_("Reports"), report_rows),
        points=(_("Meetings"), meeting_rows),
        events=[],
    )


def agreement_timeline_figure(agreement, language):
    """Published reports covering `agreement` per month, with its announced/signed/effective/ended dates."""
    reports = (
        public_reports()
        .filter(agreements=agreement)
        .exclude(dated=None)
        .annotate(month=TruncMonth("dated"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    events = [
        (getattr(agreement, name), label)
        for name, label in (
            ("announced", _("announced")),
            ("signed", _("signed")),
            ("effective", _("in effect")),
            ("ended", _("ended")),
        )
        if getattr(agreement, name)
    ]
    return _timeline(
        agreement.name_in(language),
        language,
        bars=(_("Reports"), [(row["month"], row["n"]) for row in reports]),
        points=None,
        events=events,
    )


def _timeline(title, language, *, bars, points, events):
    with matplotlib.rc_context(RC):
        fig = new_figure(6.4, 2.2, language, start=40, top=28, bottom=28)
        ax = fig.add_subplot()
        ax.set_title(label(title), loc="right" if _rtl(language) else "left", fontsize=11)
        days = [d for d, _n in bars[1]] + [d for d, _n in (points[1] if points else [])] + [d for d, _l in events]
        if not days:
            empty_message(ax)
            return fig
        handles = []
        if bars[1]:
            handles.append(month_steps(ax, bars[1], color=COLOURS[0], label=label(bars[0])))
        if points and points[1]:
            handles.append(
                ax.plot(
                    mdates.date2num([d + datetime.timedelta(days=14) for d, _n in points[1]]),
                    [n for _d, n in points[1]],
                    "o",
                    color=COLOURS[1],
                    label=label(points[0]),
                )[0]
            )
        top = max([n for _d, n in bars[1]] + [n for _d, n in (points[1] if points else [])] + [1])
        for i, (day, event) in enumerate(sorted(events)):
            ax.axvline(mdates.date2num(day), color=COLOURS[2 + i % 4], lw=1.5)
            ax.annotate(
                label(f"{event} {day.isoformat()}"),
                (mdates.date2num(day), top * (1.0 - 0.18 * (i % 4))),
                xytext=(3, 0),
                textcoords="offset points",
                fontsize=8,
                va="top",
            )
        first, last = min(days), max(days)
        margin = datetime.timedelta(days=max(45, (last - first).days // 20))
        _month_axis(ax, first - margin, last + margin, max_labels=6)
        ax.set_ylim(0, top * 1.4)  # headroom for the legend
        ax.yaxis.get_major_locator().set_params(integer=True)
        if handles:
            ax.legend(
                markerfirst=not _rtl(language),
                handles=handles,
                loc="upper left" if _rtl(language) else "upper right",
                frameon=False,
                fontsize=8,
                ncol=2,
            )
        if _rtl(language):
            ax.yaxis.tick_right()
            ax.spines["right"].set_visible(True)
            ax.spines["left"].set_visible(False)
    return fig


def timeline_png(kind, record, language=None):
    """A participant's or an agreement's timeline as PNG bytes, cached until the data changes."""
    language = language or get_language()
    draw = participant_timeline_figure if kind == "participant" else agreement_timeline_figure
    key = f"charts:{CHARTS_CODE_VERSION}:timeline:{kind}:{record.pk}:{language}:{derived.generation()}"
    image = cache.get(key)
    if image is None:
        image = figure_png(draw(record, language))
        cache.set(key, image, CACHE_SECONDS)
    return image

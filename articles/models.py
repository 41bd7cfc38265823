"""The coverage: sources, reports as printed, and the annotations editors add."""

import hashlib
import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.arabic import fold_case, normalize
from articles.validators import validate_body_length, validate_web_address
from diplomacy.models import Agreement, Bilingual, CountryField, DatePrecision, Meeting, Participant, Place, Topic


def normalize_newlines(text):
    """Line ends as the archive stores them: `\n`, whatever a browser (CRLF) or a file (CR) sent."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_hash(title, body):
    """The identity of a report's text: the same title and body give the same hash."""
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


class SourceQuerySet(models.QuerySet):
    def reached_by(self, reports):
        """Sources of `reports` (a queryset from `Article.objects.visible_to`): one known only from
        reports the reader may not read stays unnamed."""
        return self.filter(Exists(reports.filter(source=OuterRef("pk"))))


class Source(Bilingual, models.Model):
    name_ar = models.CharField(_("name in Arabic"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    url = models.URLField(_("site address"), blank=True, validators=[validate_web_address])
    country = CountryField()

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name_ar"]

    def __str__(self):
        return self.name_ar or self.name_en


def sees_unpublished(user):
    """Whether `user` may read reports that are not published (editors preview them on the public site)."""
    return user is not None and user.is_authenticated and user.has_perm("articles.view_draft")


def visible_records(model, user):
    """The records of `model` (a participant, place, topic, meeting, agreement or source) `user` may see.

    Editors, who keep the record, see all of it; everyone else sees what the reports they may read
    reach (`reached_by`; docs/public.md, "What is public").
    """
    if sees_unpublished(user):
        return model.objects.all()
    # The public's records are one query whoever asks: built once a process (the paths of `reached_by`
    # take milliseconds to build, and every list, search and ledger request asks for five or six of
    # them), then cloned for each caller, so no caller ever shares another's results.
    public = _PUBLIC_RECORDS.get(model)
    if public is None:
        public = _PUBLIC_RECORDS[model] = model.objects.reached_by(Article.objects.visible_to(user))
    return public.all()


_PUBLIC_RECORDS = {}


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)

    def visible_to(self, user):
        """What `user` may read: everything for editors, published reports for everyone else.

        THE visibility rule of the archive: annotations (`SpanQuerySet.visible_to`), the record and
        the sources (`visible_records`, through each model's `reached_by(reports)`) and every
        surface start from what this returns.
        """
        return self if sees_unpublished(user) else self.published()


class ReportHistory(HistoricalRecords):
    """simple_history for reports, with a way to write a new report's first history row from the relation
    rows its action has just written (`create_first_record`), instead of saving the report a second time
    and reading each tracked relation table back (four queries for every report an import creates)."""

    def create_first_record(self, article, relations):
        """The "+" history row of `article`, saved just now without one; `relations` maps each tracked
        relation's name to the link rows just created for it (none: the report has none yet)."""
        self.create_first_records([article], [relations])

    def create_first_records(self, articles, relations):
        """`create_first_record` for reports created together: one INSERT for their history rows and one
        for each tracked relation's (the rows simple_history writes for one save, with the same values)."""
        if not articles:
            return
        model = articles[0].history.model
        rows = []
        for article in articles:
            attrs = {f.attname: getattr(article, f.attname) for f in self.fields_included(article)}
            rows.append(
                model(
                    history_date=getattr(article, "_history_date", timezone.now()),
                    history_type="+",
                    history_user=self.get_history_user(article),
                    history_change_reason=self.get_change_reason_for_object(article, "+", None),
                    **attrs,
                )
            )
        model.objects.bulk_create(rows)
        for field in model._history_m2m_fields:
            links = [
                (row, link)
                for row, written in zip(rows, relations, strict=True)
                for link in written.get(field.name, ())
            ]
            if links:
                m2m_model, names = self.m2m_models[field], [f.name for f in links[0][1]._meta.fields]
                m2m_model.objects.bulk_create(
                    [m2m_model(history=row, **{name: getattr(link, name) for name in names}) for row, link in links]
                )

    def create_historical_record_m2ms(self, history_instance, instance):
        written = getattr(instance, "_relations_written", None)
        if written is None:
            # simple_history asks the new row for its report once a tracked relation
            # (`history_instance.instance`) and each time reads the excluded generated columns back: three
            # queries a save that need only the report's class. Build that report from the row's columns.
            history_instance._history_excluded_fields = ()
            return super().create_historical_record_m2ms(history_instance, instance)
        for field in history_instance._history_m2m_fields:
            rows = written.get(field.name, ())
            if rows:
                model, names = self.m2m_models[field], [f.name for f in rows[0]._meta.fields]
                model.objects.bulk_create(
                    [model(history=history_instance, **{name: getattr(row, name) for name in names}) for row in rows]
                )


# The reports' history, by name so that `actions.create_article` can write a new report's first row.
REPORT_HISTORY = ReportHistory(m2m_fields=["meetings", "agreements", "topics"], excluded_fields=["dated", "copy_group"])


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Language(models.TextChoices):
        """The languages the archive's reports are in. Not the field's `choices`: an import may bring
        another code, which is kept as given (the admin's language filter lists it as "another language")."""

        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="articles", verbose_name=_("source")
    )
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("body"), validators=[validate_body_length])
    language = models.CharField(_("language"), max_length=8, default="ar")
    published = models.DateField(_("publication date"), null=True, blank=True)
    # A report that prints no date is not lost to dates: editors record the earliest date it can have
    # appeared, how precisely that is known and on what basis ("from the events reported"). It is shown
    # as approximate ("~24 March 2016", "[2016]") and never copied into `published`.
    approximate_date = models.DateField(
        _("approximate date"),
        null=True,
        blank=True,
        help_text=_("Only when the report prints no date: the earliest date it can have been published."),
    )
    approximate_precision = models.CharField(
        _("approximate date known to the"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.YEAR,
    )
    approximate_basis = models.CharField(
        _("basis of the approximate date"),
        max_length=300,
        blank=True,
        help_text=_("For example: not before 24 March 2016, from the events reported."),
    )
    # What date filters, sorting and charts use: the printed date, else the approximate one.
    dated = models.GeneratedField(
        expression=Coalesce("published", "approximate_date"),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("date (printed or approximate)"),
    )
    url = models.URLField(_("address"), max_length=1000, blank=True, validators=[validate_web_address])
    byline = models.CharField(_("byline"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True, editable=False)
    # Counts the saved changes: an edit made from an older version than the stored one is refused
    # (articles/actions.py), so two editors never silently overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    meetings = models.ManyToManyField(Meeting, blank=True, related_name="articles", verbose_name=_("meetings"))
    agreements = models.ManyToManyField(Agreement, blank=True, related_name="articles", verbose_name=_("agreements"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles", verbose_name=_("topics"))
    # Derived, never edited: everyone the report involves (mentioned, quoted, addressed, or taking
    # part in a meeting it covers), so filters and facets by person or country are one join.
    participants = models.ManyToManyField(
        Participant, blank=True, editable=False, related_name="covered_in", verbose_name=_("people and parties")
    )

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last edited at"), auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted for review by"),
    )
    submitted_at = models.DateTimeField(_("submitted for review at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    # Derived (`articles.duplicates.regroup`, refreshed by `articles/derived.py`): the published reports
    # that carry the same text (copies of one wire story, transitively) share this number, the lowest of
    # their ids; a report with no published copy, and every unpublished report, has none. Never shown.
    copy_group = models.BigIntegerField(_("copies of one text"), null=True, blank=True, editable=False)

    history = REPORT_HISTORY
    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = [F("dated").desc(nulls_last=True), "-id"]
        permissions = [
            ("publish_article", _("Can publish and withdraw articles")),
            ("view_draft", _("Can see unpublished articles")),
        ]
        indexes = [
            models.Index(fields=["status", "published"], name="article_status_published"),
            models.Index(fields=["published"], name="article_published"),
            models.Index(fields=["source", "published"], name="article_source_published"),
            # an import asks whether a report with this title from this source is already in (a new version?)
            models.Index(fields=["source", "title"], name="article_source_title"),
            # On PostgreSQL also `article_newest_first` (published DESC NULLS LAST, id DESC), created by
            # migration 0006: SQLite cannot index NULLS LAST.
            models.Index(fields=["status", "dated"], name="article_status_dated"),
            # a list collapsing copies asks for the other reports of a group
            models.Index(fields=["copy_group"], name="article_copy_group"),
            # the admin's language filter: a language few reports are in is found without reading the others
            models.Index(fields=["language", "published"], name="article_language_published"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "published", "withdrawn"]),
                name="article_status_known",
            ),
            models.CheckConstraint(
                condition=Q(approximate_precision__in=["day", "month", "year"]),
                name="article_approximate_precision_known",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.content_hash = content_hash(self.title, self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and ({"title", "body"} & set(update_fields)):
            kwargs["update_fields"] = set(update_fields) | {"content_hash"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("article-detail", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        """False for a draft, a report in review or a withdrawn one: only editors see it, marked."""
        return self.status == self.Status.PUBLISHED

    @property
    def paragraphs(self):
        return self.body.split("\n")

    @property
    def date_is_approximate(self):
        return self.published is None and self.approximate_date is not None

    def clean(self):
        super().clean()
        if self.published and self.approximate_date:
            message = _("The report prints its date; an approximate date is only for reports that do not.")
            raise ValidationError({"approximate_date": message})


class Span(models.Model):
    """A stretch of an article's body, `body[start:end]`, with the text it covered kept beside it.

    `start` and `end` are offsets in code points (Python string indices). The
    kept text lets an edit to the body re-anchor the span, or flag it when its
    words are gone, so it never silently points at other words.
    """

    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    text = models.TextField(_("text"))
    needs_attention = models.BooleanField(
        _("needs attention"),
        default=False,
        help_text=_("Set when the body was edited and this passage could not be found again."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["article", "start"]

    @property
    def line(self):
        """The printed line the passage starts on (the report page's `#line-N`)."""
        return self.article.body.count("\n", 0, self.start) + 1

    def passage_url(self):
        """The passage in its report: the page scrolled to the line it starts on."""
        return f"{self.article.get_absolute_url()}#line-{self.line}"

    def clean(self):
        super().clean()
        if self.start is None or self.end is None:
            return
        if self.end <= self.start:
            raise ValidationError({"end": _("A passage must end after it starts.")})
        if self.article_id is None:
            return
        body = self.article.body
        if self.end > len(body):
            raise ValidationError(
                {
                    "end": _("The passage ends at %(end)s, past the end of the body (%(length)s characters).")
                    % {"end": self.end, "length": len(body)}
                }
            )
        if self.text != body[self.start : self.end]:
            raise ValidationError(
                {
                    "text": _("The text does not match the body between %(start)s and %(end)s.")
                    % {"start": self.start, "end": self.end}
                }
            )


class SpanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Annotations of the reports `user` may read (never those of drafts, for the public)."""
        return self.filter(article__in=Article.objects.visible_to(user))


def span_constraints(prefix):
    return [
        models.CheckConstraint(condition=Q(end__gt=F("start")), name=f"{prefix}_span_not_empty"),
        models.CheckConstraint(condition=~Q(text=""), name=f"{prefix}_text_not_empty"),
        # The kept text is exactly as long as the span (both count code points), so offsets
        # and text cannot drift apart; that the text equals body[start:end] is checked in
        # clean(), by the admin's endpoints and re-anchoring, since it spans two tables.
        models.CheckConstraint(condition=Q(end=F("start") + Length("text")), name=f"{prefix}_text_length_matches_span"),
    ]


class Quote(Span):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("direct")
        PARTIAL = "partial", _("partial")
        INDIRECT = "indirect", _("indirect")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes", verbose_name=_("article"))
    speaker = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("speaker"),
    )
    addressee = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes_addressed",
        verbose_name=_("addressee"),
    )
    # Others who said the same words with the speaker (`أكد X وY أن ...`): the speaker is named first.
    co_speakers = models.ManyToManyField(
        Participant, blank=True, related_name="quotes_co_spoken", verbose_name=_("also said by")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DIRECT)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes", verbose_name=_("meeting")
    )
    translation_en = models.TextField(_("English translation"), blank=True)
    # Derived (`articles/derived.py`): the report's publication date, copied here so that the ledger's
    # newest quotes of a speaker, an addressee or a meeting are one index range (see `QUOTE_NEWEST_FIRST`).
    published = models.DateField(_("report's date"), null=True, blank=True, editable=False)

    history = HistoricalRecords(m2m_fields=[co_speakers], excluded_fields=["published"])
    objects = SpanQuerySet.as_manager()

    class Meta(Span.Meta):
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        # Also, created by migration 0003 (SQLite cannot index NULLS LAST, so they are written out there),
        # `quote_newest` on (published DESC NULLS LAST, article_id DESC, start), the ledger's order, and
        # `quote_<column>_newest` on the same after speaker_id, addressee_id or meeting_id, so the ledger,
        # unfiltered or filtered by one of those, reads a page from an index.
        indexes = [models.Index(fields=["speaker", "article"], name="quote_speaker_article")]
        constraints = span_constraints("quote") + [
            models.UniqueConstraint(fields=["article", "start", "end"], name="quote_span_unique"),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("quote-detail", kwargs={"pk": self.pk})

    def passage_url(self):
        """The passage in its report, highlighted (the quote's own element is the page's target)."""
        return f"{self.article.get_absolute_url()}#quote-{self.pk}"


class Mention(Span):
    """A passage that names exactly one participant, place, meeting or agreement."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("article"))
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentions",
        verbose_name=_("participant"),
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="mentions", verbose_name=_("place")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="mentions", verbose_name=_("meeting")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentions",
        verbose_name=_("agreement"),
    )

    history = HistoricalRecords()
    objects = SpanQuerySet.as_manager()

    TARGETS = ("participant", "place", "meeting", "agreement")

    class Meta(Span.Meta):
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        indexes = [models.Index(fields=["participant", "article"], name="mention_participant_article")]
        constraints = span_constraints("mention") + [
            models.CheckConstraint(
                condition=(
                    Q(participant__isnull=False, place__isnull=True, meeting__isnull=True, agreement__isnull=True)
                    | Q(participant__isnull=True, place__isnull=False, meeting__isnull=True, agreement__isnull=True)
                    | Q(participant__isnull=True, place__isnull=True, meeting__isnull=False, agreement__isnull=True)
                    | Q(participant__isnull=True, place__isnull=True, meeting__isnull=True, agreement__isnull=False)
                ),
                name="mention_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["article", "start", "end", "participant", "place", "meeting", "agreement"],
                name="mention_unique",
            ),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("mention-detail", kwargs={"pk": self.pk})

    @property
    def target(self):
        for name in self.TARGETS:
            value = getattr(self, name)
            if value is not None:
                return value
        return None

    def clean(self):
        super().clean()
        chosen = [name for name in self.TARGETS if getattr(self, f"{name}_id") is not None]
        if len(chosen) != 1:
            raise ValidationError(
                _("A mention names exactly one participant, place, meeting or agreement; this one names %(n)s.")
                % {"n": len(chosen)}
            )


class Note(Span):
    """An editor's note on a passage. Never shown on public pages."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes", verbose_name=_("article"))
    note = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )

    history = HistoricalRecords()

    class Meta(Span.Meta):
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = span_constraints("note") + [
            models.CheckConstraint(condition=~Q(note=""), name="note_not_empty"),
        ]

    def __str__(self):
        return self.note[:80]


# --- Search index (articles/search/) ---------------------------------------------------------------

SYNONYM_SEPARATORS = re.compile(r"[,،;؛\n]+")


class Synonym(models.Model):
    """Spellings of one word that no normalisation rule joins, added by editors.

    They extend the built-in groups of `articles.arabic.SYNONYM_GROUPS` and are
    expanded at query time, so a new group works at once, without reindexing.
    """

    words = models.CharField(
        _("spellings"),
        max_length=500,
        help_text=_("Two or more spellings of one word, separated by commas, e.g. غوتيريش، غوتيريس"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["words"]
        constraints = [models.CheckConstraint(condition=~Q(words=""), name="synonym_words_not_empty")]

    def __str__(self):
        return self.words

    def clean(self):
        super().clean()
        if len(self.spellings()) < 2:
            raise ValidationError({"words": _("Give at least two different spellings, separated by commas.")})

    def spellings(self):
        """The spellings, normalised as the index writes them, without repeats."""
        parts = (fold_case(normalize(part)).strip() for part in SYNONYM_SEPARATORS.split(self.words))
        return list(dict.fromkeys(p for p in parts if p))


class SearchDocument(models.Model):
    """A report's entry in the PostgreSQL full-text index (see `articles/search/index.py`).

    `vector` holds every word of the title, body, quote translations and the
    names of the people the report involves, under its exact and stripped
    forms, weighted. It is derived data: `manage.py rebuild_search_index`
    writes it again from the reports. On SQLite the index is the FTS5 table
    `articles_search_fts` instead and this table stays empty.
    """

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
        verbose_name=_("article"),
    )
    vector = SearchVectorField(_("index terms"), null=True)
    # the title's part of `vector`: small enough to stay in the row, so ranking can read it for every match
    title_vector = SearchVectorField(_("index terms of the title"), null=True)
    # how many words each part of `vector` holds (its positions run title, body, then names and
    # translations): ranking reads the matched words' positions from `vector` and needs the parts'
    # lengths and boundaries; null for an entry written before they were kept (rebuild_search_index)
    title_words = models.IntegerField(_("words in the title"), null=True)
    body_words = models.IntegerField(_("words in the body"), null=True)
    extra_words = models.IntegerField(_("words in the names and translations"), null=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        # The GIN index on `vector` is created by migration (PostgreSQL only).

    def __str__(self):
        return str(self.article_id)


# --- Changes, for clients that keep a copy of the archive (articles/changes.py) ----------------------


class Change(models.Model):
    """Something a mirror of the public archive must apply: a report published, corrected or withdrawn.

    Only public events are kept (a correction of a draft is nobody's business outside), and an
    entry outlives its report: `article` is a plain reference, so a client still learns that a
    report it copied was withdrawn. `what` says what changed, by name and id, never any text.
    """

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("published")
        CORRECTED = "corrected", _("corrected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    article = models.ForeignKey(
        Article,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="changes",
        verbose_name=_("article"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    what = models.JSONField(_("what changed"), default=dict, blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["at", "id"], name="change_at_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["published", "corrected", "withdrawn"]), name="change_kind_known"
            )
        ]

    def __str__(self):
        return f"{self.article_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


# --- Near-duplicate detection (articles/duplicates.py) ---------------------------------------------


class TextSignature(models.Model):
    """A report's MinHash signature: 64 unsigned 64-bit values, little-endian. Derived data."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="text_signature", verbose_name=_("article")
    )
    minhash = models.BinaryField(_("MinHash signature"))

    class Meta:
        verbose_name = _("text signature")
        verbose_name_plural = _("text signatures")

    def __str__(self):
        return str(self.article_id)


class TextBand(models.Model):
    """One band of a report's signature, hashed: reports sharing a band are candidate copies."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="text_bands", verbose_name=_("article"))
    band = models.PositiveSmallIntegerField(_("band"))
    hash = models.BigIntegerField(_("band hash"))

    class Meta:
        verbose_name = _("text band")
        verbose_name_plural = _("text bands")
        indexes = [models.Index(fields=["hash", "band"], name="textband_lookup")]
        constraints = [models.UniqueConstraint(fields=["article", "band"], name="textband_one_per_band")]

    def __str__(self):
        return f"{self.article_id}:{self.band}"


# --- Evidence: the passages behind the record (articles/evidence.py) --------------------------------


class Evidence(Span):
    """A passage of a report that supports one field of a meeting or of an agreement.

    The record's page shows the field "according to" its passages; a field without one is the
    editors' own statement. For participants and parties, `participant` says whom the passage
    names (empty: the passage supports the list as a whole).
    """

    class Field(models.TextChoices):
        DATE = "date", _("date")
        PLACE = "place", _("place")
        PARTICIPANTS = "participants", _("participants")
        ANNOUNCED = "announced", _("announced")
        SIGNED = "signed", _("signed")
        EFFECTIVE = "effective", _("in effect from")
        ENDED = "ended", _("ended")
        STATUS = "status", _("status")
        PARTIES = "parties", _("parties")

    MEETING_FIELDS = ("date", "place", "participants")
    AGREEMENT_FIELDS = ("announced", "signed", "effective", "ended", "status", "parties")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("article"))
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence", verbose_name=_("meeting")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("agreement"),
    )
    field = models.CharField(_("evidence for"), max_length=16, choices=Field.choices)
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("who (participants and parties)"),
    )

    history = HistoricalRecords()
    objects = SpanQuerySet.as_manager()

    class Meta(Span.Meta):
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [
            models.Index(fields=["meeting", "field"], name="evidence_meeting_field"),
            models.Index(fields=["agreement", "field"], name="evidence_agreement_field"),
        ]
        constraints = span_constraints("evidence") + [
            models.CheckConstraint(
                condition=(
                    Q(meeting__isnull=False, agreement__isnull=True, field__in=["date", "place", "participants"])
                    | Q(
                        meeting__isnull=True,
                        agreement__isnull=False,
                        field__in=["announced", "signed", "effective", "ended", "status", "parties"],
                    )
                ),
                name="evidence_field_of_its_record",
            ),
            models.CheckConstraint(
                condition=Q(participant__isnull=True) | Q(field__in=["participants", "parties"]),
                name="evidence_participant_only_for_people",
            ),
            models.UniqueConstraint(
                fields=["article", "start", "end", "meeting", "agreement", "field", "participant"],
                name="evidence_unique",
            ),
        ]

    def __str__(self):
        return f"{self.get_field_display()}: {self.text[:60]}"

    @property
    def record(self):
        return self.meeting or self.agreement

    def clean(self):
        super().clean()
        if (self.meeting_id is None) == (self.agreement_id is None):
            raise ValidationError(_("Evidence supports a field of one meeting or of one agreement."))
        allowed = self.MEETING_FIELDS if self.meeting_id else self.AGREEMENT_FIELDS
        if self.field not in allowed:
            raise ValidationError(
                {
                    "field": _("A %(record)s has no field %(field)s; choose one of: %(allowed)s.")
                    % {
                        "record": _("meeting") if self.meeting_id else _("agreement"),
                        "field": self.field,
                        "allowed": ", ".join(str(self.Field(f).label) for f in allowed),
                    }
                }
            )
        if self.participant_id and self.field not in ("participants", "parties"):
            raise ValidationError({"participant": _("Name someone only for participants or parties.")})


# --- Background work (articles/tasks.py) -------------------------------------------------------------


class BackgroundJob(models.Model):
    """One piece of background work (an import, suggestions, an index rebuild, charts, reports' PDFs).

    Editors follow it in the admin: its status, how far it got and what it produced. Work that
    falls into parts (the files of an import) records each finished part as a `BackgroundJobItem`
    in the same transaction as the part's own writes, so a part retried after a worker died is
    never done twice.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("import")
        SUGGEST = "suggest", _("suggestions")
        REINDEX = "reindex", _("search index rebuild")
        CHARTS = "charts", _("chart rendering")
        PDF = "pdf", _("PDF rendering")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    description = models.CharField(_("description"), max_length=500, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("parts"), default=0)
    done = models.PositiveIntegerField(_("parts done"), default=0)
    progress_note = models.CharField(_("progress"), max_length=200, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="background_jobs",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=F("total")), name="background_job_done_within_total"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"


class BackgroundJobItem(models.Model):
    """A finished part of a job: one imported file (its outcome and the reports it holds)."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("created")
        UNCHANGED = "unchanged", _("unchanged")
        ERROR = "error", _("error")

    job = models.ForeignKey(BackgroundJob, on_delete=models.CASCADE, related_name="items", verbose_name=_("job"))
    name = models.CharField(_("part"), max_length=500)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    ids = models.JSONField(_("report ids"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), auto_now_add=True)

    class Meta:
        verbose_name = _("background job part")
        verbose_name_plural = _("background job parts")
        ordering = ["job", "pk"]
        constraints = [models.UniqueConstraint(fields=["job", "name"], name="background_job_item_once")]

    def __str__(self):
        return f"{self.name}: {self.get_outcome_display()}"


class DataGeneration(models.Model):
    """One row: a number that every write to the archive raises (`articles.derived.bump_generation`).

    What is computed from the whole archive and costly to compute again (the list's facet counts) is
    kept in the shared cache under this number, so every process drops it at the same moment: the
    number is raised inside the writing transaction, and a reader sees the new one only with the data
    it describes. Derived: not exported with the archive.
    """

    number = models.BigIntegerField(_("generation"), default=0)

    class Meta:
        verbose_name = _("data generation")
        verbose_name_plural = _("data generations")

    def __str__(self):
        return str(self.number)

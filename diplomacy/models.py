"""The diplomatic record: who took part, where, when, and what was agreed."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from diplomacy.countries import is_country_code


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def country_code_validator(value):
    if value and not is_country_code(value):
        raise ValidationError(
            _("%(value)s is not an ISO 3166 alpha-2 country code (two capital letters, such as SY)."),
            params={"value": value},
        )


class CountryField(models.CharField):
    """An ISO 3166-1 alpha-2 code, or blank when there is none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("validators", [country_code_validator])
        kwargs.setdefault("verbose_name", _("country"))
        super().__init__(*args, **kwargs)


def in_language(language, arabic, english):
    """Of a thing's Arabic and English names, the one for `language`, falling back to the other."""
    if language and language.startswith("en"):
        return english or arabic
    return arabic or english


class Bilingual:
    """Anything named in both languages: `name_in(language)` is the one way to show it to a reader."""

    bilingual_fields = ("name_ar", "name_en")

    def name_in(self, language):
        arabic, english = (getattr(self, name) for name in self.bilingual_fields)
        return in_language(language, arabic, english)


class BilingualNamed(Bilingual, models.Model):
    name_ar = models.CharField(_("name in Arabic"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name_ar or self.name_en or self.slug


# What of the record is public (docs/public.md, "What is public"). The record is shown through the
# reports a reader may read: each `reached_by(reports)` below takes a queryset of articles already
# narrowed by `Article.objects.visible_to(user)` (the one rule; `articles.models.visible_records`
# calls it), so this app never imports the coverage and never re-types a status filter. A record
# outside these sets answers 404 to that reader, as an unknown one does.


def _named_by(reports, *paths):
    """A condition on a record's row: a report of `reports` links to it along one of `paths`
    ("meetings", "mentions__meeting__place"...). Each path is one correlated `EXISTS` over plain
    joins, so a page of records probes the link tables' indexes for its own rows only, and the
    planner sees no subquery nested in another."""
    condition = Q()
    for path in paths:
        condition |= Exists(reports.filter(**{path: OuterRef("pk")}))
    return condition


# How a report reaches a meeting: it covers it, names it, or quotes someone at it; or one of those
# meetings is part of it (a visit). And an agreement: it covers it or names it.
_MEETING_PATHS = ("meetings", "mentions__meeting", "quotes__meeting")
MEETING_PATHS = _MEETING_PATHS + tuple(f"{path}__part_of" for path in _MEETING_PATHS)
AGREEMENT_PATHS = ("agreements", "mentions__agreement")


class ParticipantQuerySet(models.QuerySet):
    def reached_by(self, reports):
        """Participants `reports` involve (the derived `Article.participants`: mentioned, quoted,
        addressed, at a meeting covered), or who take part in a meeting or are party to an
        agreement those reports reach."""
        return self.filter(
            _named_by(
                reports,
                "participants",
                *(f"{path}__participations__participant" for path in MEETING_PATHS),
                *(f"{path}__party_roles__participant" for path in AGREEMENT_PATHS),
            )
        )

    def with_alias(self, normalized):
        """Participants one of whose aliases has the normalised form `normalized`.

        The record keeps no text rules of its own: `ParticipantAlias.normalized` is
        written by the coverage app's Arabic toolkit (`articles/derived.py`), and callers
        normalise a name the same way before asking (`articles.arabic.normalize`).
        """
        return self.filter(aliases__normalized=normalized).distinct()


class Participant(BilingualNamed):
    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        STATE = "state", _("state")
        ORGANIZATION = "organization", _("organisation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    country = CountryField()
    wikidata_id = models.CharField(
        _("Wikidata id"),
        max_length=20,
        blank=True,
        help_text=_("For example Q22316 (without a link)."),
        # The same rule as the participant_wikidata_id_format constraint, as a field message in the
        # reader's language, so no surface ever shows the constraint's name.
        validators=[RegexValidator(r"^Q[0-9]+$", _("A Wikidata id is Q followed by digits, as in Q22316."))],
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["name_ar"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[0-9]+$"),
                name="participant_wikidata_id_format",
            ),
        ]

    def get_absolute_url(self):
        return reverse("participant-detail", kwargs={"slug": self.slug})

    def office_on(self, day):
        """The office this participant held on `day`, if any (the latest begun)."""
        return (
            self.offices.filter(Q(start__isnull=True) | Q(start__lte=day))
            .filter(Q(end__isnull=True) | Q(end__gte=day))
            .order_by(F("start").desc(nulls_last=True))
            .first()
        )


class ParticipantAlias(models.Model):
    """A way the press writes a participant's name; matched in text and in search."""

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("participant")
    )
    name = models.CharField(_("alias"), max_length=300)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ARABIC)
    # derived from `name` by the Arabic toolkit whenever an alias is saved (articles/derived.py)
    normalized = models.CharField(_("normalised form"), max_length=300, editable=False, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["participant", "name"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "name"], name="alias_unique_per_participant"),
            models.CheckConstraint(condition=~Q(name=""), name="alias_not_empty"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = self.name.strip()
        super().save(*args, **kwargs)


class Office(Bilingual, models.Model):
    """A title a participant held for a country between two dates (the end may be open)."""

    bilingual_fields = ("title_ar", "title_en")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="offices", verbose_name=_("participant")
    )
    title_ar = models.CharField(_("title in Arabic"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    country = CountryField()
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["participant", "-start"]
        indexes = [models.Index(fields=["country", "start", "end"], name="office_country_dates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                name="office_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.participant}: {self.title_ar}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("An office cannot end before it starts.")})


class PlaceQuerySet(models.QuerySet):
    def reached_by(self, reports):
        """Places named in `reports`, or where a meeting they reach was held."""
        return self.filter(_named_by(reports, "mentions__place", *(f"{path}__place" for path in MEETING_PATHS)))


class Place(BilingualNamed):
    country = CountryField()
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name_ar"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
        ]

    def get_absolute_url(self):
        return reverse("place-detail", kwargs={"slug": self.slug})


class TopicQuerySet(models.QuerySet):
    def reached_by(self, reports):
        """Topics of `reports`, and of the meetings and agreements they reach."""
        paths = ("topics", *(f"{path}__topics" for path in (*MEETING_PATHS, *AGREEMENT_PATHS)))
        return self.filter(_named_by(reports, *paths))


class Topic(BilingualNamed):
    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name_ar"]


class MeetingQuerySet(models.QuerySet):
    def reached_by(self, reports):
        """Meetings `reports` cover, name (a mention) or quote someone at, and the visits that hold them."""
        return self.filter(_named_by(reports, *MEETING_PATHS))


class Meeting(Bilingual, models.Model):
    """A visit, a meeting, talks, a summit, a call...; a visit holds its meetings (`part_of`)."""

    bilingual_fields = ("title_ar", "title_en")

    class Kind(models.TextChoices):
        VISIT = "visit", _("visit")
        MEETING = "meeting", _("meeting")
        TALKS = "talks", _("talks")
        SUMMIT = "summit", _("summit")
        PHONE_CALL = "phone_call", _("phone call")
        PRESS_CONFERENCE = "press_conference", _("press conference")
        CONFERENCE = "conference", _("conference")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title_ar = models.CharField(_("title in Arabic"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    start = models.DateField(_("start"), db_index=True)
    end = models.DateField(_("end"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings", verbose_name=_("place")
    )
    part_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="parts", verbose_name=_("part of")
    )
    participants = models.ManyToManyField(
        Participant, through="Participation", related_name="meetings", verbose_name=_("participants")
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="meetings", verbose_name=_("topics"))
    cameo_code = models.CharField(
        _("CAMEO event code"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{1,4}$", _("A CAMEO event code is up to four digits."))],
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[topics])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start", "title_ar"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(part_of__isnull=True) | ~Q(part_of=F("id")), name="meeting_not_part_of_itself"
            ),
            models.CheckConstraint(condition=Q(cameo_code__regex=r"^[0-9]{0,4}$"), name="meeting_cameo_digits"),
        ]

    def __str__(self):
        return self.title_ar or self.title_en

    def get_absolute_url(self):
        return reverse("meeting-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("A meeting cannot end before it starts.")})
        if self.part_of_id and self.pk and self.part_of_id == self.pk:
            raise ValidationError({"part_of": _("A meeting cannot be part of itself.")})


class Participation(models.Model):
    class Role(models.TextChoices):
        HOST = "host", _("host")
        GUEST = "guest", _("guest")
        MEDIATOR = "mediator", _("mediator")
        SPEAKER = "speaker", _("speaker")
        ATTENDEE = "attendee", _("attendee")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participations", verbose_name=_("meeting")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="participations", verbose_name=_("participant")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ATTENDEE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["meeting", "role"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="participation_once_per_meeting"),
        ]

    def __str__(self):
        return f"{self.participant} ({self.get_role_display()})"


class AgreementQuerySet(models.QuerySet):
    def reached_by(self, reports):
        """Agreements `reports` cover or name (a mention)."""
        return self.filter(_named_by(reports, *AGREEMENT_PATHS))


class Agreement(Bilingual, models.Model):
    bilingual_fields = ("title_ar", "title_en")

    class Kind(models.TextChoices):
        CEASEFIRE = "ceasefire", _("ceasefire")
        TRUCE = "truce", _("truce")
        UNDERSTANDING = "understanding", _("understanding")
        MEMORANDUM = "memorandum", _("memorandum")
        JOINT_STATEMENT = "joint_statement", _("joint statement")
        TREATY = "treaty", _("treaty")
        ROADMAP = "roadmap", _("roadmap")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        AGREED = "agreed", _("agreed")
        SIGNED = "signed", _("signed")
        IN_FORCE = "in_force", _("in force")
        VIOLATED = "violated", _("violated")
        SUSPENDED = "suspended", _("suspended")
        COLLAPSED = "collapsed", _("collapsed")
        SUPERSEDED = "superseded", _("superseded")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    title_ar = models.CharField(_("title in Arabic"), max_length=300)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True, allow_unicode=True)
    announced = models.DateField(_("announced"), null=True, blank=True, db_index=True)
    signed = models.DateField(_("signed"), null=True, blank=True)
    effective = models.DateField(_("in effect from"), null=True, blank=True)
    ended = models.DateField(_("ended"), null=True, blank=True)
    parties = models.ManyToManyField(
        Participant, through="AgreementParty", related_name="agreements", verbose_name=_("parties")
    )
    negotiated_at = models.ManyToManyField(
        Meeting, blank=True, related_name="agreements", verbose_name=_("negotiated at")
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="agreements", verbose_name=_("topics"))
    pax_id = models.CharField(_("PA-X agreement id"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[negotiated_at, topics])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = [F("announced").desc(nulls_last=True), "title_ar"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True)
                | (
                    (Q(announced__isnull=True) | Q(ended__gte=F("announced")))
                    & (Q(signed__isnull=True) | Q(ended__gte=F("signed")))
                    & (Q(effective__isnull=True) | Q(ended__gte=F("effective")))
                ),
                name="agreement_ends_after_other_dates",
            ),
        ]

    def __str__(self):
        return self.title_ar or self.title_en

    def get_absolute_url(self):
        return reverse("agreement-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.ended:
            for name in ("announced", "signed", "effective"):
                value = getattr(self, name)
                if value and self.ended < value:
                    raise ValidationError(
                        {"ended": _("An agreement cannot end before it was %(field)s.") % {"field": name}}
                    )


class AgreementParty(models.Model):
    class Role(models.TextChoices):
        PARTY = "party", _("party")
        SIGNATORY = "signatory", _("signatory")
        GUARANTOR = "guarantor", _("guarantor")
        MEDIATOR = "mediator", _("mediator")
        CO_SPONSOR = "co-sponsor", _("co-sponsor")
        WITNESS = "witness", _("witness")
        FRAMEWORK = "framework", _("framework")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="party_roles", verbose_name=_("agreement")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="agreement_roles", verbose_name=_("participant")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party to an agreement")
        verbose_name_plural = _("parties to agreements")
        ordering = ["agreement", "role"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "participant"], name="agreement_party_once"),
        ]

    def __str__(self):
        return f"{self.participant} ({self.get_role_display()})"

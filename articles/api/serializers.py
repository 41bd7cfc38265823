"""The API's JSON shapes, each field written out.

Relations travel as slugs (participants, places, meetings, agreements,
topics, sources) or ids (articles, quotes, mentions, notes), both ways; an
article's detail also lists everyone it involves with their names and URLs,
so a client can resolve the slugs in its quotes and mentions without another
request.

Writes are validated the way the admin validates: the instance is built and
`full_clean()` runs the model's own `clean()` (a span lies inside the body
and its text is `body[start:end]`; dates are in order) and its named
constraints, so the API cannot store what the admin would refuse. Errors
come back per field.
"""

from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from articles import actions, workflow
from articles.models import Article, Change, Evidence, Mention, Note, Quote, Source, normalize_newlines
from articles.validators import validate_web_address
from diplomacy.models import (
    Agreement,
    AgreementParty,
    Meeting,
    Office,
    Participant,
    ParticipantAlias,
    Participation,
    Place,
    Topic,
)


class SlugField(serializers.SlugRelatedField):
    """A relation named by its slug; refuses text that could not be a slug before asking the database."""

    default_error_messages = {"blank": _("An empty slug names nothing; send null for none.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        # DRF reads "" as null (for HTML forms); this API speaks JSON, where null says "none".
        if data == "":
            self.fail("blank")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data or len(data) > 120:
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:120].replace("\x00", ""))
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.URI)
class SelfLinkField(serializers.Field):
    """The record's API address, built from one reversed prefix a request rather than one `reverse` a row."""

    def __init__(self, view_name, lookup="pk", **kwargs):
        self.view_name = view_name
        self.lookup = lookup
        kwargs["read_only"] = True
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, instance):
        cache = self.context.setdefault("_link_prefixes", {})
        prefix = cache.get(self.view_name)
        if prefix is None:
            placeholder = "0" if self.lookup == "pk" else "x"
            path = reverse(f"api:{self.view_name}", kwargs={self.lookup: placeholder})
            request = self.context.get("request")
            absolute = request.build_absolute_uri(path) if request is not None else path
            prefix = cache[self.view_name] = absolute[: -len(placeholder) - 1]
        # a slug may be in Arabic letters: the address is a URI, so they are percent-encoded, as
        # Django's `reverse` encodes them
        return f"{prefix}{iri_to_uri(str(getattr(instance, self.lookup)))}/"


def full_clean(instance, exclude=None):
    """Run the model's validation (fields, `clean()`, constraints) and answer a per-field 400."""
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as error:
        detail = {}
        for field, messages in error.message_dict.items():
            detail["non_field_errors" if field == NON_FIELD_ERRORS else field] = messages
        raise serializers.ValidationError(detail) from error


class RefuseUnknownFields:
    """A write naming a field the serializer does not have is refused (400, each such field named),
    as the importer refuses an unknown key: a typo (`publised`) is never silently dropped."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in data if name not in self.fields)
            if unknown:
                known = ", ".join(name for name, field in self.fields.items() if not field.read_only)
                message = _("Unknown field; the fields this accepts are: %(known)s.") % {"known": known}
                raise serializers.ValidationError({name: [message] for name in unknown})
        return super().to_internal_value(data)


class ModelCleanMixin(RefuseUnknownFields):
    """Validate by building the instance and calling `full_clean()` on it, as a ModelForm does."""

    # Fields the model validates itself that the serializer does not carry (for example, derived ones).
    clean_exclude = ()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance if self.instance is not None else self.Meta.model()
        plain = {k: v for k, v in attrs.items() if k not in self.nested_fields()}
        original = {k: getattr(instance, k) for k in plain} if self.instance is not None else {}
        for name, value in plain.items():
            setattr(instance, name, value)
        try:
            full_clean(instance, exclude=[*self.clean_exclude, *self.many_fields()])
        finally:
            for name, value in original.items():
                setattr(instance, name, value)
        return attrs

    def update(self, instance, validated_data):
        """Write only the fields the request gave (a PATCH never writes back what it did not send)."""
        many = {name: validated_data.pop(name) for name in self.many_fields() if name in validated_data}
        for name, value in validated_data.items():
            setattr(instance, name, value)
        if validated_data:
            stamped = ["updated_at"] if hasattr(instance, "updated_at") else []
            instance.save(update_fields=[*validated_data, *stamped])
        for name, values in many.items():
            getattr(instance, name).set(values)
        return instance

    def get_validators(self):
        # DRF would turn the models' unique constraints into "required" on every field they name
        # (a mention's four targets); `full_clean()` checks the same constraints, as the admin does.
        return []

    def many_fields(self):
        return [f.name for f in self.Meta.model._meta.many_to_many]

    def nested_fields(self):
        return set(self.many_fields()) | set(getattr(self.Meta, "nested", ()))


# References -------------------------------------------------------------------------------------


class ParticipantRefSerializer(serializers.ModelSerializer):
    url = SelfLinkField("participant-detail", lookup="slug")

    class Meta:
        model = Participant
        fields = ["slug", "url", "kind", "name_ar", "name_en", "country"]


class SourceSerializer(serializers.ModelSerializer):
    url = SelfLinkField("source-detail", lookup="slug")
    site = serializers.CharField(source="url", read_only=True, help_text=_("The outlet's site, or empty."))

    class Meta:
        model = Source
        fields = ["slug", "url", "name_ar", "name_en", "site", "country"]


class TopicSerializer(serializers.ModelSerializer):
    url = SelfLinkField("topic-detail", lookup="slug")

    class Meta:
        model = Topic
        fields = ["slug", "url", "name_ar", "name_en"]


class PlaceSerializer(serializers.ModelSerializer):
    url = SelfLinkField("place-detail", lookup="slug")

    class Meta:
        model = Place
        fields = ["slug", "url", "name_ar", "name_en", "country", "latitude", "longitude"]


class MeetingRefSerializer(serializers.ModelSerializer):
    url = SelfLinkField("meeting-detail", lookup="slug")

    class Meta:
        model = Meeting
        fields = ["slug", "url", "kind", "title_ar", "title_en", "start", "end"]


class AgreementRefSerializer(serializers.ModelSerializer):
    url = SelfLinkField("agreement-detail", lookup="slug")

    class Meta:
        model = Agreement
        fields = ["slug", "url", "kind", "status", "title_ar", "title_en", "announced"]


# Articles ---------------------------------------------------------------------------------------


class CopySerializer(serializers.Serializer):
    """Another report carrying the same text (`collapse=copies`)."""

    id = serializers.IntegerField(read_only=True)
    url = SelfLinkField("article-detail")
    source = serializers.CharField(
        source="source.slug", read_only=True, allow_null=True, help_text=_("Source slug, or null.")
    )
    published = serializers.DateField(read_only=True, allow_null=True)


class ArticleListSerializer(serializers.Serializer):
    """An article in a list: everything but the body and the annotations.

    A plain Serializer rather than a ModelSerializer: a list is the API's hottest path, and a
    ModelSerializer introspects the model to build its fields on every request.
    """

    id = serializers.IntegerField(read_only=True)
    url = SelfLinkField("article-detail")
    title = serializers.CharField(read_only=True)
    source = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text=_("Source slug, or null.")
    )
    language = serializers.CharField(read_only=True)
    published = serializers.DateField(read_only=True, allow_null=True, help_text=_("Null when unknown."))
    status = serializers.ChoiceField(choices=Article.Status.choices, read_only=True)
    byline = serializers.CharField(read_only=True)
    original_url = serializers.CharField(
        source="url", read_only=True, help_text=_("Where the report was printed online, or empty.")
    )
    copies = CopySerializer(
        many=True,
        read_only=True,
        allow_null=True,
        help_text=_(
            "With `collapse=copies`: the other reports you may read that carry the same text, earliest "
            "printing first ([] for none); null when the list was not asked to collapse copies."
        ),
    )

    class Meta:
        model = Article
        fields = ["id", "url", "title", "source", "language", "published", "status", "byline", "original_url"]
        # The columns a list reads (the body is left in the database); the source's slug comes as an
        # annotation, `source_slug`, so a page builds one object a row rather than two. `source` and
        # `copy_group` are read for `collapse=copies`, which names each report's copies.
        columns = ["id", "title", "language", "published", "status", "byline", "url", "source", "copy_group"]

    def to_representation(self, article):
        # The same values the declared fields give (they still describe the schema and the CSV
        # columns), read straight from the row: this runs for every row of every page.
        link = self.fields["url"]
        return {
            "id": article.id,
            "url": link.to_representation(article),
            "title": article.title,
            "source": article.source_slug,
            "language": article.language,
            "published": article.published.isoformat() if article.published is not None else None,
            "status": article.status,
            "byline": article.byline,
            "original_url": article.url,
            # set by the view (`attach_copies`) only when the client asked for `collapse=copies`
            "copies": (self.fields["copies"].to_representation(article.copies) if hasattr(article, "copies") else None),
        }


class ArticleExportSerializer(ArticleListSerializer):
    """An article in a JSON Lines or CSV export: the list fields and the body."""

    body = serializers.CharField(read_only=True)
    copies = None  # an export lists every report it includes, each on its own row

    def to_representation(self, article):
        row = super().to_representation(article)
        del row["copies"]
        return {**row, "body": article.body}

    class Meta(ArticleListSerializer.Meta):
        fields = [*ArticleListSerializer.Meta.fields, "body"]
        columns = [*ArticleListSerializer.Meta.columns, "body"]


class QuoteInArticleSerializer(serializers.ModelSerializer):
    speaker = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    addressee = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    meeting = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Quote
        fields = ["id", "start", "end", "text", "kind", "speaker", "addressee", "meeting", "translation_en"]


class MentionInArticleSerializer(serializers.ModelSerializer):
    participant = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    place = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    meeting = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    agreement = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Mention
        fields = ["id", "start", "end", "text", "participant", "place", "meeting", "agreement"]


class ArticleDetailSerializer(serializers.ModelSerializer):
    """An article with its body and annotations; participants listed once with names and URLs."""

    url = SelfLinkField("article-detail")
    original_url = serializers.CharField(
        source="url", read_only=True, help_text=_("Where the report was printed online, or empty.")
    )
    source = SourceSerializer(read_only=True, allow_null=True)
    quotes = QuoteInArticleSerializer(many=True, read_only=True)
    mentions = MentionInArticleSerializer(many=True, read_only=True)
    meetings = MeetingRefSerializer(many=True, read_only=True)
    agreements = AgreementRefSerializer(many=True, read_only=True)
    topics = TopicSerializer(many=True, read_only=True)
    participants = ParticipantRefSerializer(many=True, read_only=True)

    class Meta(ArticleListSerializer.Meta):
        fields = [
            *ArticleListSerializer.Meta.fields,
            "body",
            "quotes",
            "mentions",
            "meetings",
            "agreements",
            "topics",
            "participants",
            "created_at",
            "updated_at",
        ]


class ArticleWriteSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """What an editor's tool sends to create or change an article (the answer is the detail shape).

    Editors move a report between draft and in review; publishing or
    withdrawing it (or taking it back from published or withdrawn) needs the
    `articles.publish_article` permission.
    """

    source = SlugField(queryset=Source.objects.all(), required=False, allow_null=True)
    original_url = serializers.URLField(
        source="url", required=False, allow_blank=True, max_length=1000, validators=[validate_web_address]
    )
    meetings = SlugField(queryset=Meeting.objects.all(), many=True, required=False)
    agreements = SlugField(queryset=Agreement.objects.all(), many=True, required=False)
    topics = SlugField(queryset=Topic.objects.all(), many=True, required=False)

    clean_exclude = ("content_hash",)

    class Meta:
        model = Article
        fields = [
            "title",
            "body",
            "source",
            "language",
            "published",
            "original_url",
            "byline",
            "status",
            "meetings",
            "agreements",
            "topics",
        ]

    def validate_status(self, value):
        """The same moves as the admin's (articles/workflow.py), checked before anything is written."""
        user = self.context["request"].user
        current = self.instance.status if self.instance is not None else Article.Status.DRAFT
        if value == current:
            return value
        try:
            workflow.check_transition(current=current, target=value, user=user)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None
        except workflow.TransitionNotAllowed as exc:
            raise serializers.ValidationError(exc.messages) from None
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        article = Article(
            pk=getattr(self.instance, "pk", None),
            title=normalize_newlines(attrs.get("title", getattr(self.instance, "title", ""))).strip(),
            body=normalize_newlines(attrs.get("body", getattr(self.instance, "body", ""))),
        )
        try:
            actions.refuse_duplicate(article)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs

    def create(self, validated_data):
        relations = {name: validated_data.pop(name, None) for name in actions.ARTICLE_RELATIONS}
        status = validated_data.pop("status", Article.Status.DRAFT)
        return actions.create_article(
            user=self.context["request"].user, status=status, relations=relations, **validated_data
        )

    def update(self, article, validated_data):
        relations = {name: validated_data.pop(name, None) for name in actions.ARTICLE_RELATIONS}
        status = validated_data.pop("status", None)
        actions.edit_article(
            article, user=self.context["request"].user, values=validated_data, relations=relations, status=status
        )
        return article

    def to_representation(self, instance):
        return ArticleDetailSerializer(instance, context=self.context).data


# Annotations ------------------------------------------------------------------------------------


class ArticleField(serializers.PrimaryKeyRelatedField):
    """An article id; only the articles the requesting user may see can be named."""

    def get_queryset(self):
        request = self.context.get("request")
        return Article.objects.visible_to(request.user if request else None)

    def to_internal_value(self, data):
        if isinstance(data, bool) or (isinstance(data, int) and not 0 < data < 2**63):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class SpanSerializer(ModelCleanMixin, serializers.ModelSerializer):
    article = ArticleField()
    start = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
    end = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    text = serializers.CharField(trim_whitespace=False, max_length=100_000)
    needs_attention = serializers.BooleanField(read_only=True)

    def validate_article(self, article):
        if self.instance is not None and article.pk != self.instance.article_id:
            raise serializers.ValidationError(_("A passage cannot move to another article."))
        return article

    def create(self, validated_data):
        validated_data.pop("author", None)
        annotation_type = self.Meta.model._meta.model_name
        return actions.create_annotation(annotation_type, user=self.context["request"].user, **validated_data)

    def update(self, annotation, validated_data):
        validated_data.pop("article", None)
        return actions.change_annotation(annotation, user=self.context["request"].user, **validated_data)


class QuoteSerializer(SpanSerializer):
    url = SelfLinkField("quote-detail")
    speaker = SlugField(queryset=Participant.objects.all(), required=False, allow_null=True)
    addressee = SlugField(queryset=Participant.objects.all(), required=False, allow_null=True)
    meeting = SlugField(queryset=Meeting.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Quote
        fields = [
            "id",
            "url",
            "article",
            "start",
            "end",
            "text",
            "kind",
            "speaker",
            "addressee",
            "meeting",
            "translation_en",
            "needs_attention",
        ]


class MentionSerializer(SpanSerializer):
    url = SelfLinkField("mention-detail")
    participant = SlugField(queryset=Participant.objects.all(), required=False, allow_null=True)
    place = SlugField(queryset=Place.objects.all(), required=False, allow_null=True)
    meeting = SlugField(queryset=Meeting.objects.all(), required=False, allow_null=True)
    agreement = SlugField(queryset=Agreement.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Mention
        fields = [
            "id",
            "url",
            "article",
            "start",
            "end",
            "text",
            "participant",
            "place",
            "meeting",
            "agreement",
            "needs_attention",
        ]


class NoteSerializer(SpanSerializer):
    url = SelfLinkField("note-detail")
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    note = serializers.CharField(max_length=20_000)

    class Meta:
        model = Note
        fields = ["id", "url", "article", "start", "end", "text", "note", "author", "needs_attention", "created_at"]


# The diplomatic record --------------------------------------------------------------------------


class AliasSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = ParticipantAlias
        fields = ["name", "language"]


class OfficeSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = Office
        fields = ["title_ar", "title_en", "country", "start", "end"]


class ParticipantSerializer(ModelCleanMixin, serializers.ModelSerializer):
    url = SelfLinkField("participant-detail", lookup="slug")
    aliases = AliasSerializer(many=True, required=False)
    offices = OfficeSerializer(many=True, read_only=True)

    class Meta:
        model = Participant
        fields = [
            "slug",
            "url",
            "kind",
            "name_ar",
            "name_en",
            "country",
            "wikidata_id",
            "description",
            "aliases",
            "offices",
        ]
        nested = ("aliases",)

    def validate_aliases(self, aliases):
        names = [alias["name"].strip() for alias in aliases]
        if any(not name for name in names):
            raise serializers.ValidationError(_("An alias cannot be empty."))
        if len(set(names)) != len(names):
            raise serializers.ValidationError(_("Each alias is given once."))
        return aliases

    @transaction.atomic
    def create(self, validated_data):
        aliases = validated_data.pop("aliases", [])
        participant = Participant.objects.create(**validated_data)
        self.save_aliases(participant, aliases)
        return participant

    @transaction.atomic
    def update(self, participant, validated_data):
        aliases = validated_data.pop("aliases", None)
        participant = super().update(participant, validated_data)
        if aliases is not None:
            participant.aliases.all().delete()
            self.save_aliases(participant, aliases)
        return participant

    @staticmethod
    def save_aliases(participant, aliases):
        for alias in aliases:
            ParticipantAlias(participant=participant, **alias).save()


class ParticipationSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    participant = SlugField(queryset=Participant.objects.all())

    class Meta:
        model = Participation
        fields = ["participant", "role"]


class MeetingSerializer(ModelCleanMixin, serializers.ModelSerializer):
    url = SelfLinkField("meeting-detail", lookup="slug")
    place = SlugField(queryset=Place.objects.all(), required=False, allow_null=True)
    part_of = SlugField(queryset=Meeting.objects.all(), required=False, allow_null=True)
    participants = ParticipationSerializer(source="participations", many=True, required=False)
    topics = SlugField(queryset=Topic.objects.all(), many=True, required=False)

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "url",
            "kind",
            "title_ar",
            "title_en",
            "start",
            "end",
            "date_precision",
            "place",
            "part_of",
            "participants",
            "topics",
            "cameo_code",
            "note",
        ]
        nested = ("participations",)

    def validate_participants(self, participations):
        slugs = [p["participant"].slug for p in participations]
        if len(set(slugs)) != len(slugs):
            raise serializers.ValidationError(_("Each participant takes part once."))
        return participations

    @transaction.atomic
    def create(self, validated_data):
        participations = validated_data.pop("participations", [])
        topics = validated_data.pop("topics", [])
        meeting = Meeting.objects.create(**validated_data)
        meeting.topics.set(topics)
        self.set_roles(meeting, participations)
        return meeting

    @transaction.atomic
    def update(self, meeting, validated_data):
        participations = validated_data.pop("participations", None)
        meeting = super().update(meeting, validated_data)
        if participations is not None:
            self.set_roles(meeting, participations)
        return meeting

    def set_roles(self, meeting, participations):
        roles = [(p["participant"], p["role"]) for p in participations]
        actions.set_meeting_participants(meeting, participants=roles, user=self.context["request"].user)


class AgreementPartySerializer(RefuseUnknownFields, serializers.ModelSerializer):
    participant = SlugField(queryset=Participant.objects.all())

    class Meta:
        model = AgreementParty
        fields = ["participant", "role"]


class AgreementSerializer(ModelCleanMixin, serializers.ModelSerializer):
    url = SelfLinkField("agreement-detail", lookup="slug")
    parties = AgreementPartySerializer(source="party_roles", many=True, required=False)
    negotiated_at = SlugField(queryset=Meeting.objects.all(), many=True, required=False)
    topics = SlugField(queryset=Topic.objects.all(), many=True, required=False)

    class Meta:
        model = Agreement
        fields = [
            "slug",
            "url",
            "kind",
            "status",
            "title_ar",
            "title_en",
            "announced",
            "signed",
            "effective",
            "ended",
            "parties",
            "negotiated_at",
            "topics",
            "pax_id",
            "note",
        ]
        nested = ("party_roles",)

    def validate_parties(self, parties):
        slugs = [p["participant"].slug for p in parties]
        if len(set(slugs)) != len(slugs):
            raise serializers.ValidationError(_("Each party is named once."))
        return parties

    @transaction.atomic
    def create(self, validated_data):
        parties = validated_data.pop("party_roles", [])
        many = {name: validated_data.pop(name, []) for name in ("negotiated_at", "topics")}
        agreement = Agreement.objects.create(**validated_data)
        for name, values in many.items():
            getattr(agreement, name).set(values)
        self.set_roles(agreement, parties)
        return agreement

    @transaction.atomic
    def update(self, agreement, validated_data):
        parties = validated_data.pop("party_roles", None)
        agreement = super().update(agreement, validated_data)
        if parties is not None:
            self.set_roles(agreement, parties)
        return agreement

    def set_roles(self, agreement, parties):
        roles = [(p["participant"], p["role"]) for p in parties]
        actions.set_agreement_parties(agreement, parties=roles, user=self.context["request"].user)


# Services ---------------------------------------------------------------------------------------


class SuggestedMentionSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()
    participant = serializers.CharField(required=False, allow_null=True, help_text=_("Participant slug."))
    place = serializers.CharField(required=False, allow_null=True, help_text=_("Place slug."))


class SuggestedQuoteSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()
    speaker = serializers.CharField(allow_null=True, help_text=_("Participant slug, or null when unknown."))
    addressee = serializers.CharField(
        required=False, allow_null=True, help_text=_("Participant slug of the addressee, or null.")
    )
    kind = serializers.ChoiceField(choices=Quote.Kind.choices)
    co_speakers = serializers.ListField(
        child=serializers.CharField(), help_text=_("Participant slugs of the others speaking with the speaker.")
    )
    speaker_name = serializers.CharField(
        required=False, help_text=_("The speaker's name as printed, when the records do not know them.")
    )


class SuggestedParticipantSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField(help_text=_("The name as printed."))
    title = serializers.CharField(allow_blank=True, help_text=_("The title printed beside the name, or empty."))


class SuggestedDateSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    precision = serializers.CharField()


class SuggestionsSerializer(serializers.Serializer):
    """The suggestions service's answer (PRODUCT.md), as `suggest_annotations --json` prints it."""

    mentions = SuggestedMentionSerializer(many=True)
    quotes = SuggestedQuoteSerializer(many=True)
    dates = SuggestedDateSerializer(many=True)
    new_participants = SuggestedParticipantSerializer(
        many=True, required=False, help_text=_("Speakers the records do not know; present only when there are some.")
    )


class ChangeSerializer(serializers.ModelSerializer):
    article_url = serializers.SerializerMethodField(help_text=_("The report in the API (404 once it is withdrawn)."))

    class Meta:
        model = Change
        fields = ["id", "article", "article_url", "kind", "at", "what"]

    def get_article_url(self, change) -> str:
        path = reverse("api:article-detail", kwargs={"pk": change.article_id})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class EvidenceSerializer(serializers.ModelSerializer):
    """A passage linked as evidence for a field of a meeting or an agreement (read-only here)."""

    url = SelfLinkField("evidence-detail")
    meeting = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    agreement = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    participant = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "url",
            "article",
            "start",
            "end",
            "text",
            "meeting",
            "agreement",
            "field",
            "participant",
            "needs_attention",
        ]
        read_only_fields = fields


class ComparedQuoteSerializer(serializers.Serializer):
    """One row of a meeting's outlet comparison: a quote, its report and outlet, and where else it was quoted."""

    article = serializers.IntegerField(source="article_id")
    source = serializers.CharField(allow_null=True)
    published = serializers.DateField(allow_null=True)
    copies = serializers.ListField(child=serializers.IntegerField())
    quote = serializers.IntegerField(allow_null=True)
    speaker = serializers.CharField(allow_null=True)
    addressee = serializers.CharField(allow_null=True)
    kind = serializers.CharField(allow_null=True)
    text = serializers.CharField(allow_null=True)
    only_here = serializers.BooleanField()
    also_in = serializers.ListField(child=serializers.IntegerField())


class TokenRequestSerializer(AuthTokenSerializer):
    """A username and password for `POST auth/token/`. A username longer than any account's is
    refused as a field error before it is tried: the brute-force guard records every failed try,
    and would fail on a name its table cannot hold (a server error on PostgreSQL)."""

    username = serializers.CharField(
        label=_("Username"), write_only=True, max_length=get_user_model()._meta.get_field("username").max_length
    )

"""API input validation (and schema); outputs are built from the same model fields as pages."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.models import Organisation, OrganisationKind

from . import listing
from .models import Recommendation, Status, Theme, Translation, VersionMeta


class CreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    theme = serializers.SlugRelatedField(slug_field="slug", queryset=Theme.objects.all())
    addressed_to = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationKind.choices), allow_empty=False
    )
    body = serializers.CharField(max_length=100_000)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


class EditSerializer(serializers.Serializer):
    base_version = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(max_length=100_000, required=False)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    addressed_to = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganisationKind.choices),
        allow_empty=False,
        required=False,
    )
    theme = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.all(), required=False
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if not {"title", "body", "summary", "addressed_to", "theme"} & attrs.keys():
            raise serializers.ValidationError(
                "Send at least one of title, body, summary, addressed_to, theme."
            )
        return attrs


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class OrganisationInput(serializers.Serializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all()
    )


class FilterInput(serializers.Serializer):
    q = serializers.CharField(max_length=200, required=False, allow_blank=True)
    theme = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.all(), required=False
    )
    actor = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False
    )
    sort = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="One of the list's orders: relevance (with q: best match first), theme, "
        "updated, supported, discussed.",
    )

    def validate_sort(self, value: str) -> str:
        if value and value not in listing.sorts:
            raise serializers.ValidationError(
                _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(k for k, _l in listing.sorts.items())}
            )
        return value


class OrganisationOut(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "country"]


class ParagraphOut(serializers.Serializer):
    key = serializers.CharField()
    html = serializers.CharField()


class RecommendationOut(serializers.ModelSerializer):
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    addressed_to = serializers.ListField(child=serializers.CharField(), read_only=True)
    organisations = OrganisationOut(many=True, read_only=True)
    lead_organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    paragraphs = ParagraphOut(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "title",
            "theme",
            "addressed_to",
            "summary",
            "body",
            "body_html",
            "paragraphs",
            "footnotes_html",
            "status",
            "version",
            "approved_version",
            "final_version",
            "reason",
            "lead_organisation",
            "organisations",
            "created_at",
            "updated_at",
            "submitted_at",
            "approved_at",
            "finalised_at",
            "last_event_seq",
            "url",
            "language",
        ]


class TranslationStateOut(serializers.Serializer):
    translated_version = serializers.IntegerField()
    outdated = serializers.BooleanField()


# A recommendation read in a language (``?lang=``): the usual fields, with the title, summary
# and text of that language, its ``language`` and, for a translation, which version of the
# original it translates (``translation``; null for the original). (A comment, not a
# docstring: the schema keeps the description of the recommendation it always had.)
class RecommendationInLanguageOut(RecommendationOut):
    translation = TranslationStateOut(allow_null=True, read_only=True)

    class Meta(RecommendationOut.Meta):
        fields = [*RecommendationOut.Meta.fields, "translation"]


class TranslationInput(serializers.Serializer):
    """A translation as sent: the original's version it translates (``base_version``) and the
    translation's own version it was edited from (``translation_version``; 0 or absent for
    the first one). Empty texts are refused by the service, in the person's language."""

    base_version = serializers.IntegerField(min_value=1)
    translation_version = serializers.IntegerField(min_value=0, required=False, default=0)
    title = serializers.CharField(max_length=200, allow_blank=True)
    summary = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=100_000, allow_blank=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TranslationOut(serializers.ModelSerializer):
    updated_by = serializers.CharField(source="updated_by.username", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    paragraphs = ParagraphOut(many=True, read_only=True)
    original_version = serializers.SerializerMethodField()
    outdated = serializers.SerializerMethodField()

    class Meta:
        model = Translation
        fields = [
            "language",
            "title",
            "summary",
            "body",
            "body_html",
            "paragraphs",
            "footnotes_html",
            "version",
            "translated_version",
            "original_version",
            "outdated",
            "updated_by",
            "organisation",
            "created_at",
            "updated_at",
        ]

    def get_original_version(self, obj: Translation) -> int:
        return obj.recommendation.text_version

    def get_outdated(self, obj: Translation) -> bool:
        return obj.is_outdated()


class RecommendationListOut(RecommendationOut):
    class Meta(RecommendationOut.Meta):
        fields = [
            "id",
            "title",
            "theme",
            "addressed_to",
            "summary",
            "status",
            "version",
            "approved_version",
            "final_version",
            "lead_organisation",
            "organisations",
            "updated_at",
            "url",
        ]


class VersionOut(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    # From the revision's serialized Recommendation (read the versions ``with_text()``),
    # declared as the old version table's columns were, so the schema stays the same.
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True)
    body = serializers.CharField()

    class Meta:
        model = VersionMeta
        fields = [
            "version",
            "title",
            "summary",
            "body",
            "body_html",
            "paragraphs",
            "author",
            "organisation",
            "note",
            "restored_from",
            "merged_with",
            "created_at",
        ]
        read_only_fields = ["created_at"]

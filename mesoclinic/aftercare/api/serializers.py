"""Adverse events and check-ins as the API returns them (read-only)."""

from rest_framework import serializers

from mesoclinic.aftercare.models import CheckIn, SideEffect
from mesoclinic.care.models import AdverseEvent, SessionProduct


class LotUsedSerializer(serializers.ModelSerializer):
    lot_number = serializers.CharField(source="lot.lot_number", read_only=True)
    product = serializers.IntegerField(source="lot.product_id", read_only=True)
    product_brand = serializers.CharField(source="lot.product.brand", read_only=True)

    class Meta:
        model = SessionProduct
        fields = ["lot", "lot_number", "product", "product_brand", "volume"]


class AdverseEventSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text='How pages name it: "AE-12".')
    lots = LotUsedSerializer(
        source="session.products", many=True, read_only=True, help_text="Lots of its session."
    )

    class Meta:
        model = AdverseEvent
        fields = [
            "id",
            "reference",
            "patient",
            "clinic",
            "session",
            "course",
            "source",
            "triggers",
            "effects",
            "grade",
            "checklist",
            "course_paused",
            "opened_at",
            "status",
            "outcome",
            "closed_at",
            "dermatologist",
            "lots",
        ]


class SideEffectSerializer(serializers.ModelSerializer):
    class Meta:
        model = SideEffect
        fields = [
            "id",
            "code",
            "other",
            "site",
            "onset_on",
            "present",
            "self_grade",
            "grade",
            "graded_at",
            "resolved_at",
        ]


class CheckInSerializer(serializers.ModelSerializer):
    effects = SideEffectSerializer(many=True, read_only=True)
    has_photo = serializers.SerializerMethodField(
        help_text="The photo itself is served only on the staff page (access-checked, audited)."
    )

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "patient",
            "clinic",
            "session",
            "kind",
            "hours_after",
            "due_at",
            "status",
            "answered_at",
            "channel",
            "skin",
            "note",
            "escalated",
            "adverse_event",
            "reviewed_at",
            "effects",
            "has_photo",
        ]

    def get_has_photo(self, check_in) -> bool:
        return bool(check_in.photo)

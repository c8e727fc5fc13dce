"""Patient JSON. Input accepts what people type (Urdu digits, dashes, 0300-…); output is canonical:
CNIC as 13 digits (and 5-7-1 for display), mobile as E.164."""

from django.utils import timezone
from rest_framework import serializers

from mesoclinic.clinics.models import Clinic
from mesoclinic.clinics.selectors import clinics_for_user
from mesoclinic.core import validation as shared_validation
from mesoclinic.patients import validation
from mesoclinic.patients.identifiers import format_cnic
from mesoclinic.patients.models import Patient
from mesoclinic.patients.services import EDITABLE_FIELDS


class ClinicSlugField(serializers.SlugRelatedField):
    """A clinic by slug; text PostgreSQL cannot compare (NUL) is refused before the lookup."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class PatientSerializer(serializers.ModelSerializer):
    cnic = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=30,
        help_text="13 digits; any dashes and Urdu digits are accepted on input.",
    )
    cnic_display = serializers.CharField(read_only=True, help_text="12345-1234567-1")
    mobile = serializers.CharField(max_length=30, help_text="Stored and returned as E.164.")
    emergency_contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    registered_clinic = ClinicSlugField(
        slug_field="slug",
        queryset=Clinic.objects.all(),
        help_text="Slug of a clinic you work at; set when registering, fixed afterwards.",
    )

    class Meta:
        model = Patient
        fields = [
            "id",
            "mrn",
            *EDITABLE_FIELDS,
            "fitzpatrick_type",
            "cnic_display",
            "registered_clinic",
            "created_at",
            "updated_at",
        ]
        # The skin type comes from the latest consultation.
        read_only_fields = ["id", "mrn", "fitzpatrick_type", "created_at", "updated_at"]
        # Duplicates are refused by the service, which knows what this user may be told.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["registered_clinic"].read_only = True
        for name in ("first_name", "date_of_birth", "sex", "mobile"):
            self.fields[name].required = self.instance is None or not self.partial

    def validate_first_name(self, value):
        return validation.clean_name(value, Patient._meta.get_field("first_name").max_length)

    def validate_last_name(self, value):
        return validation.clean_name(value, Patient._meta.get_field("last_name").max_length)

    def validate_name_ur(self, value):
        return validation.clean_name(value, Patient._meta.get_field("name_ur").max_length)

    def validate_cnic(self, value):
        return validation.clean_cnic(value)

    def validate_mobile(self, value):
        return shared_validation.clean_mobile(value)

    def validate_emergency_contact_phone(self, value):
        return shared_validation.clean_optional_phone(value)

    def validate_date_of_birth(self, value):
        return validation.clean_date_of_birth(value)

    def validate_registered_clinic(self, clinic):
        user = self.context["request"].user
        if not clinics_for_user(user).filter(pk=clinic.pk).exists():
            raise serializers.ValidationError("You do not work at this clinic.")
        return clinic


#: The columns a list row is built from (`patient_rows`): one values() query, no instances.
LIST_VALUES = (
    "id",
    "mrn",
    *EDITABLE_FIELDS,
    "fitzpatrick_type",
    "registered_clinic__slug",
    "created_at",
    "updated_at",
)


def patient_rows(rows) -> list[dict]:
    """`PatientSerializer`'s output for each row of `LIST_VALUES`, key for key and value for
    value (test_api_list_rows holds them together), without building a model instance and a
    serializer field by field for each of a page's 50 patients: dates as ISO 8601, times in
    the current time zone, the CNIC also 5-7-1, the clinic by slug."""
    zone = timezone.get_current_timezone()
    data = []
    for row in rows:
        cnic = row["cnic"]
        item = {"id": row["id"], "mrn": row["mrn"]}
        item.update((name, row[name]) for name in EDITABLE_FIELDS)
        item["date_of_birth"] = row["date_of_birth"].isoformat()
        item["fitzpatrick_type"] = row["fitzpatrick_type"]
        item["cnic_display"] = format_cnic(cnic) if cnic else ""
        item["registered_clinic"] = row["registered_clinic__slug"]
        item["created_at"] = _iso_datetime(row["created_at"], zone)
        item["updated_at"] = _iso_datetime(row["updated_at"], zone)
        data.append(item)
    return data


def _iso_datetime(value, zone) -> str:
    """As DRF's DateTimeField shows an aware time: in `zone`, ISO 8601, UTC as "Z"."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text

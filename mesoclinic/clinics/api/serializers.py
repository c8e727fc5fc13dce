from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mesoclinic.clinics.models import Clinic, OpeningHours, Practitioner, Service


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = ["code", "name", "name_ur"]


class OpeningHoursSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]


class ClinicSerializer(serializers.ModelSerializer):
    services = ServiceSerializer(many=True, read_only=True)
    opening_hours = OpeningHoursSerializer(many=True, read_only=True)

    class Meta:
        model = Clinic
        fields = [
            "id",
            "slug",
            "name",
            "city",
            "address",
            "phone",
            "email",
            "latitude",
            "longitude",
            "services",
            "opening_hours",
        ]


class PractitionerSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    verified = serializers.BooleanField(source="is_verified", read_only=True)
    credentialed = serializers.SerializerMethodField()
    credential_problems = serializers.SerializerMethodField()
    clinics = serializers.SerializerMethodField()

    class Meta:
        model = Practitioner
        fields = [
            "id",
            "name",
            "qualification",
            "registering_body",
            "registration_number",
            "registration_expires_on",
            "verified",
            "verified_at",
            "credentialed",
            "credential_problems",
            "clinics",
        ]

    def get_name(self, practitioner) -> str:
        return str(practitioner)

    def get_credentialed(self, practitioner) -> bool:
        return practitioner.credential_status().credentialed

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_credential_problems(self, practitioner) -> list[str]:
        return [str(problem) for problem in practitioner.credential_status().problems]

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_clinics(self, practitioner) -> list[str]:
        return [m.clinic.slug for m in practitioner.user.memberships.all()]

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import ValidationError

from mesoclinic.clinics import selectors
from mesoclinic.clinics.api.serializers import ClinicSerializer, PractitionerSerializer
from mesoclinic.restapi.views import ReadOnlyViewSet


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("city", OpenApiTypes.STR, description="Exact city name")]
    )
)
class ClinicViewSet(ReadOnlyViewSet):
    """Active clinics: public information, readable by every staff member and integration."""

    serializer_class = ClinicSerializer
    lookup_field = "slug"

    def scoped_queryset(self, user):
        clinics = selectors.clinic_directory()
        city = self.request.query_params.get("city")
        if city:
            clinics = clinics.filter(city__iexact=city)
        return clinics


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("clinic", OpenApiTypes.STR, description="Clinic slug"),
            OpenApiParameter(
                "credentialed", OpenApiTypes.BOOL, description="Only (not) credentialed today"
            ),
        ]
    )
)
class PractitionerViewSet(ReadOnlyViewSet):
    """Practitioners with their PMDC registration and whether they are credentialed today."""

    serializer_class = PractitionerSerializer

    def scoped_queryset(self, user):
        practitioners = selectors.practitioner_directory()
        params = self.request.query_params
        if params.get("clinic"):
            practitioners = practitioners.filter(user__memberships__clinic__slug=params["clinic"])
        credentialed = params.get("credentialed")
        if credentialed is None:
            return practitioners
        if credentialed.lower() in {"true", "1"}:
            return practitioners.credentialed()
        if credentialed.lower() in {"false", "0"}:
            return practitioners.not_credentialed()
        # An unreadable filter would list everyone: say so instead.
        raise ValidationError({"credentialed": ["true or false."]})

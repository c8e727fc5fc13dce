"""/api/v1/patients/: the same scoping, validation, services and audit as the staff pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from mesoclinic.audit.services import Action, record_event
from mesoclinic.patients import selectors, services
from mesoclinic.patients.api.serializers import LIST_VALUES, PatientSerializer, patient_rows
from mesoclinic.patients.models import Patient
from mesoclinic.restapi.views import AuditedListMixin, ScopedViewSetMixin


class _ListFromValues:
    """The list's page read with values() and shown as `PatientSerializer` shows it
    (`patient_rows`): the same JSON for a fraction of the Python. It stands after
    AuditedListMixin, whose `list` calls this one and audits the page."""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset().values(*LIST_VALUES))
        return self.get_paginated_response(patient_rows(page))


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Name, CNIC, mobile or MRN (one box)"
            ),
            OpenApiParameter("clinic", OpenApiTypes.STR, description="Only this clinic (slug)"),
        ]
    )
)
class PatientViewSet(
    AuditedListMixin,
    _ListFromValues,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Patients of the clinics you work at (all clinics for administrators)."""

    serializer_class = PatientSerializer
    queryset = Patient.objects.none()  # for the schema; requests use scoped_queryset

    def scoped_queryset(self, user):
        params = self.request.query_params
        patients, _kind = selectors.search_patients(
            user, params.get("q", ""), params.get("clinic", "")
        )
        return patients

    def get_object(self):
        action = Action.VIEW if self.action == "retrieve" else ""
        patient = selectors.get_patient_for_user(
            self.request.user, self.kwargs["pk"], via=self.via, action=action
        )
        self.check_object_permissions(self.request, patient)
        return patient

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        clinic = data.pop("registered_clinic")
        serializer.instance = services.register_patient(
            acting_user=self.request.user, via=self.via, clinic=clinic, data=data
        )

    def perform_update(self, serializer):
        changed = services.update_patient(
            acting_user=self.request.user,
            via=self.via,
            patient=serializer.instance,
            data=dict(serializer.validated_data),
        )
        if not changed:
            # Nothing to record as an update, but the answer still discloses the record.
            record_event(
                actor=self.request.user,
                action=Action.VIEW,
                via=self.via,
                instance=serializer.instance,
            )

from mesoclinic.desk.views.audit import AuditLogView
from mesoclinic.desk.views.clinics import ClinicDashboardView
from mesoclinic.desk.views.dashboard import DashboardView
from mesoclinic.desk.views.messages import (
    ClinicMessagesView,
    MessageResendView,
    PatientMessagesView,
)
from mesoclinic.desk.views.patients import EnquiryListView, PatientDetailView
from mesoclinic.desk.views.products import ProductsView

__all__ = [
    "AuditLogView",
    "ClinicDashboardView",
    "ClinicMessagesView",
    "DashboardView",
    "EnquiryListView",
    "MessageResendView",
    "PatientDetailView",
    "PatientMessagesView",
    "ProductsView",
]

"""The hottest reads use an index, never a sequential scan, once the chain is large enough
for PostgreSQL's planner to tell the difference (issue 8).

The chain is seeded with `seed_scale` (8,000 patients with about 36,000 sessions and ledger
lines, then 60,000 without history) and analysed, as autovacuum would; each query is the one
the page or endpoint runs, built by its own selector, and explained as PostgreSQL would run it.
SQLite is the embedded default for one clinic and has no planner worth asserting on, so these
run on PostgreSQL only.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from mesoclinic.care.models import Consultation, TreatmentSession
from mesoclinic.formulary import selectors as formulary_selectors
from mesoclinic.formulary.models import Lot
from mesoclinic.patients.models import Patient
from mesoclinic.patients.selectors import search_patients

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]

PATIENTS = 8_000
EXTRA_PATIENTS = 60_000
#: Tables that grow with the chain; small ones (clinics, lots, products) may be read whole.
LARGE_TABLES = (
    "patients_patient",
    "care_consultation",
    "care_treatmentsession",
    "formulary_stockmovement",
)


def test_the_hot_reads_use_indexes_at_chain_size(settings):
    settings.DEBUG = True
    call_command(
        "seed_scale",
        patients=PATIENTS,
        clinics=4,
        seed=5,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    # More patients without history: name searches chain-wide need a table the planner will
    # not simply read whole.
    call_command(
        "seed_scale",
        patients=EXTRA_PATIENTS,
        clinics=4,
        seed=5,
        sessions_per_patient=0,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    doctor = get_user_model().objects.get(username="scale.doctor.001")
    admin = get_user_model().objects.get(username="scale.admin")
    clinic_patients = Patient.objects.filter(registered_clinic__slug="scale-001")
    patient = clinic_patients.exclude(cnic=None).order_by("id")[100]
    treated = TreatmentSession.objects.filter(clinic__slug="scale-001").first().patient
    lot = Lot.objects.filter(clinic__slug="scale-001").first()
    assert TreatmentSession.objects.count() > 3 * PATIENTS

    def search(text, user=doctor):
        return search_patients(user, text)[0][:26]

    # Each query with the indexes that may serve it (the planner picks among equals).
    queries = {
        "patient by CNIC": (search(patient.cnic), ("patients_patient_cnic",)),
        "patient by mobile": (search("0" + patient.mobile[3:]), ("patients_patient_mobile",)),
        # At one's own clinic: a name few have reads its slice of the (clinic, name) prefix
        # index; a name many have reads the newest patients until a page is full.
        "patient by a rare name at one's clinic": (
            search("Zzyzxqa"),
            ("patient_clinic_first_name_prefix",),
        ),
        "patient by a common name at one's clinic": (
            search(patient.first_name),
            # With four clinics, the whole chain's newest patients serve as well.
            (
                "patient_clinic_recent_idx",
                "patient_clinic_first_name_prefix",
                "patients_patient_pkey",
            ),
        ),
        # Chain-wide (administrators), a name nobody has: trigram indexes, in both scripts.
        "patient by a rare name, chain-wide": (
            search("Zzyzxqa", admin),
            ("patient_first_name_trgm", "patient_clinic_first_name_prefix"),
        ),
        "patient by a rare Urdu name, chain-wide": (
            search("ژژژژ", admin),
            ("patient_name_ur_trgm",),
        ),
        "patient list, next keyset page": (
            search_patients(doctor, "")[0].filter(id__lt=patient.pk)[:26],
            ("patients_patient_pkey", "patient_clinic_recent_idx"),
        ),
        "chart sessions": (
            TreatmentSession.objects.filter(patient=treated).defer("gate"),
            ("session_patient_idx", "care_treatmentsession_patient_id"),
        ),
        "chart consultations": (
            Consultation.objects.filter(patient=treated),
            ("consultation_patient_idx", "care_consultation_patient_id"),
        ),
        "lot recall list": (
            formulary_selectors.recall_recipients(admin, lot=lot)[:26],
            ("stockmovement_lot_id_idx", "formulary_stockmovement_pkey"),
        ),
        "lot recall page": (
            formulary_selectors.recipient_rows(admin, lot=lot)[:26],
            ("stockmovement_lot_id_idx", "formulary_stockmovement_pkey"),
        ),
    }
    problems = []
    for name, (queryset, indexes) in queries.items():
        plan = queryset.explain()
        scans = [line.strip() for line in plan.splitlines() if "Scan" in line]
        if any(f"Seq Scan on {table}" in line for line in scans for table in LARGE_TABLES):
            problems.append(f"{name}: a sequential scan\n{plan}")
        elif not any(index in line for line in scans for index in indexes):
            problems.append(f"{name}: none of {indexes} used\n{plan}")
    assert not problems, "\n\n".join(problems)

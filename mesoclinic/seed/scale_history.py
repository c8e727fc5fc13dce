"""The clinical history `seed_scale` gives its synthetic patients, written in bulk.

Per clinic: a credentialed dermatologist (through the clinics' services, so the credential is
real) and lots of a synthetic tranexamic-acid product received through the formulary's service
(each with its "received" ledger line). Per patient, from `scale.history_for`: a screening
(melasma, eligible), a course on the melasma protocol, and its charted sessions, each with the
lot it drew from, the ledger's "used" line and the link between them, so charts and recalls
read what the pages read; and each session's aftercare (`scale_aftercare`: check-ins, side
effects, adverse events, mMASI scores). Rows are built as model instances with explicit ids
(so they link without round trips) and written with `bulk_create`; the lots' balances are set
from their ledgers at the end, and the id sequences moved past what was written.
"""

import time as clock
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, OuterRef, Subquery, Sum
from django.utils import timezone

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.services import Interface
from mesoclinic.care.facts import Facts
from mesoclinic.care.models import (
    Consultation,
    Course,
    CourseComponent,
    SessionProduct,
    TreatmentSession,
)
from mesoclinic.care.services.screening import facts_digest
from mesoclinic.care.vocabulary import ICD10
from mesoclinic.clinics import services as clinic_services
from mesoclinic.clinics.models import Clinic, Membership, Practitioner
from mesoclinic.formulary.models import (
    Ingredient,
    Lot,
    Product,
    ProductIngredient,
    Protocol,
    StockMovement,
)
from mesoclinic.formulary.services import receive_lot
from mesoclinic.seed import scale
from mesoclinic.seed.scale_aftercare import MODELS as AFTERCARE_MODELS
from mesoclinic.seed.scale_aftercare import ChainAftercare, write_values

VIA = Interface.CLI
#: What one lot may hold (the ledger's bound) and how much of it the seeded sessions plan to use.
LOT_SIZE = Decimal("100000")
LOT_USE = Decimal("50000")
MODELS = (
    Consultation,
    Course,
    CourseComponent,
    TreatmentSession,
    SessionProduct,
    StockMovement,
)


class ChainHistory:
    """Writes the history of one batch of patients at a time (call `write(rows)`), then
    `finish()` once."""

    def __init__(self, *, clinic_ids, admin, patients: int, sessions_per_patient: int, seed):
        self.seed, self.sessions_per_patient = seed, sessions_per_patient
        self.clinic_ids = list(clinic_ids)
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.version = Protocol.objects.get(code="melasma-txa").versions.order_by("-number").first()
        self.component = self.version.components.order_by("id").first()
        self.product = self._product()
        expected = patients * max(sessions_per_patient, 1) * Decimal("2.5") / len(clinic_ids)
        self.lots_per_clinic = int(expected / LOT_USE) + 1
        self.doctors, self.lots = {}, {}
        for index, clinic_id in enumerate(clinic_ids):
            doctor = self._doctor(admin, clinic_id, index)
            self.doctors[clinic_id] = doctor
            self.lots[clinic_id] = self._lots(admin, clinic_id, index)
        self.next_id = {
            model: (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1 for model in MODELS
        }
        self.digest = facts_digest(
            Facts(sex=None), indication="melasma", ingredients=["tranexamic_acid"]
        )
        self.aftercare = ChainAftercare(seed=seed, doctors=self.doctors)
        self.counts = dict.fromkeys(MODELS + AFTERCARE_MODELS, 0)
        #: Time spent building and writing the aftercare rows (seed_scale reports its rate).
        self.aftercare_seconds = 0.0

    def _product(self) -> Product:
        product, created = Product.objects.get_or_create(
            brand="TXA Meso 4 (synthetic)",
            defaults={
                "manufacturer": "Synthetic Pharma",
                "drap_registration": "SYNTHETIC",
                "form": "solution",
                "stock_unit": "mL",
                "pack_size": Decimal("5"),
                "storage": "room",
            },
        )
        if created:
            ProductIngredient.objects.create(
                product=product,
                ingredient=Ingredient.objects.get(code="tranexamic_acid"),
                concentration=Decimal("4"),
                unit="mg/mL",
            )
        return product

    def _doctor(self, admin, clinic_id: int, index: int) -> Practitioner:
        user, created = get_user_model().objects.get_or_create(
            username=f"scale.doctor.{index + 1:03d}",
            defaults={"first_name": "Synthetic", "last_name": f"Doctor {index + 1:03d}"},
        )
        if not created:
            return user.practitioner
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get_or_create(name=Role.PRACTITIONER)[0])
        Membership.objects.create(user=user, clinic_id=clinic_id)
        practitioner = Practitioner.objects.create(user=user, qualification="dermatologist")
        clinic_services.record_registration(
            acting_user=admin,
            via=VIA,
            practitioner=practitioner,
            number=f"SYN-{index + 1:05d}-P",
            expires_on=self.today + timedelta(days=3 * 365),
        )
        return clinic_services.verify_practitioner(
            acting_user=admin, via=VIA, practitioner=practitioner, evidence="synthetic chain"
        )

    def _lots(self, admin, clinic_id: int, index: int) -> list[Lot]:
        existing = list(Lot.objects.filter(clinic_id=clinic_id, product=self.product))
        for number in range(len(existing), self.lots_per_clinic):
            existing.append(
                receive_lot(
                    acting_user=admin,
                    via=VIA,
                    clinic=Clinic.objects.get(pk=clinic_id),
                    product=self.product,
                    lot_number=f"SYN{index + 1:03d}-{number + 1:04d}",
                    expires_on=self.today + timedelta(days=3 * 365),
                    quantity=LOT_SIZE,
                    received_on=self.today - timedelta(days=2 * 365),
                )
            )
        return existing

    def _take(self, model) -> int:
        value = self.next_id[model]
        self.next_id[model] += 1
        return value

    def write(self, rows) -> None:
        """The history of these patients (`scale.PatientRow`s already written)."""
        built = {model: [] for model in MODELS}
        for row in rows:
            history = scale.history_for(
                self.seed,
                row.id,
                today=self.today,
                sessions_per_patient=self.sessions_per_patient,
            )
            clinic_id = self._clinic_of(row)
            doctor = self.doctors[clinic_id]
            recorded = datetime.combine(
                history.start if history else self.today - timedelta(days=30),
                time(10, 30),
                self.tz,
            )
            consultation = Consultation(
                id=self._take(Consultation),
                patient_id=row.id,
                clinic_id=clinic_id,
                recorded_by_id=doctor.user_id,
                recorded_at=recorded,
                entered_at=recorded,
                indication="melasma",
                icd10=ICD10.get("melasma", ""),
                concerns="Synthetic: brown patches on the cheeks.",
                pregnant=False,
                breastfeeding=False,
                may_become_pregnant=False,
                planned_ingredients=["tranexamic_acid"],
                fitzpatrick_type=row.fitzpatrick_type or 4,
                decision="eligible",
                reasons=[],
                facts_digest=self.digest,
            )
            built[Consultation].append(consultation)
            if history is None:
                continue
            self._course(built, row, history, consultation, clinic_id, doctor)
        # Built before the history is written: an open adverse event pauses its course.
        started = clock.monotonic()
        aftercare = self.aftercare.build(built[Course], built[TreatmentSession])
        building = clock.monotonic() - started
        for model in MODELS:
            if built[model]:
                write_rows(model, built[model])
                self.counts[model] += len(built[model])
        started = clock.monotonic()
        for model in AFTERCARE_MODELS:
            write_values(model, aftercare[model])
            self.counts[model] += len(aftercare[model])
        self.aftercare_seconds += building + clock.monotonic() - started

    def _course(self, built, row, history, consultation, clinic_id, doctor) -> None:
        interval = timedelta(days=14)
        dates = [history.start + interval * n for n in range(history.planned)]
        course = Course(
            id=self._take(Course),
            patient_id=row.id,
            clinic_id=clinic_id,
            consultation_id=consultation.id,
            protocol_version_id=self.version.pk,
            indication="melasma",
            sessions_planned=history.planned,
            interval_days=14,
            maintenance_days=90,
            start_date=history.start,
            session_dates=[day.isoformat() for day in dates],
            maintenance_due=dates[-1] + timedelta(days=90),
            status=(
                Course.Status.COMPLETED
                if history.charted == history.planned
                else Course.Status.ACTIVE
            ),
            created_by_id=doctor.user_id,
            entered_at=consultation.recorded_at,
        )
        built[Course].append(course)
        volume = Decimal(history.volume_tenths) / 10
        built[CourseComponent].append(
            CourseComponent(
                id=self._take(CourseComponent),
                course_id=course.id,
                protocol_component_id=self.component.pk,
                volume_per_session=volume,
            )
        )
        lot = self.lots[clinic_id][row.id % self.lots_per_clinic]
        for number in range(1, history.charted + 1):
            started = datetime.combine(dates[number - 1], time(11), self.tz) + timedelta(
                minutes=history.minute
            )
            session = TreatmentSession(
                id=self._take(TreatmentSession),
                course_id=course.id,
                number=number,
                patient_id=row.id,
                clinic_id=clinic_id,
                practitioner_id=doctor.pk,
                started_at=started,
                ended_at=started + timedelta(minutes=25),
                technique="papules",
                depth="Intradermal",
                needle="30G × 4 mm",
                points=history.points,
                pregnant_today=False,
                breastfeeding_today=False,
                gate={"synthetic": True, "checked_at": started.isoformat()},
                recorded_by_id=doctor.user_id,
                entered_at=started + timedelta(minutes=25),
            )
            movement = StockMovement(
                id=self._take(StockMovement),
                lot_id=lot.pk,
                kind="used",
                quantity=-volume,
                patient_id=row.id,
                recorded_by_id=doctor.user_id,
            )
            built[TreatmentSession].append(session)
            built[StockMovement].append(movement)
            built[SessionProduct].append(
                SessionProduct(
                    id=self._take(SessionProduct),
                    session_id=session.id,
                    lot_id=lot.pk,
                    volume=volume,
                    zones=["cheek_left", "cheek_right", "forehead"],
                    movement_id=movement.id,
                )
            )

    def _clinic_of(self, row) -> int:
        return self.clinic_ids[row.clinic_index]

    def finish(self) -> None:
        """Each seeded lot's balance from its ledger, and the id sequences past the rows."""
        ledger = (
            StockMovement.objects.filter(lot=OuterRef("pk"))
            .values("lot")
            .annotate(total=Sum("quantity"))
            .values("total")
        )
        Lot.objects.filter(product=self.product).update(balance=Subquery(ledger))
        with connection.cursor() as cursor:
            models = list(MODELS + AFTERCARE_MODELS)
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def write_rows(model, objects) -> None:
    """Insert unsaved instances with their ids: PostgreSQL COPY (values prepared by each field,
    as `save()` would), elsewhere `bulk_create`."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=2000)
        return
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objects:
            copy.write_row(
                [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
            )

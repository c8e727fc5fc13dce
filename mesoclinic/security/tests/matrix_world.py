"""The records and people the authorization matrix asks about, built once per test module.

Clinic A is the demo's Rawalpindi clinic (its ready patient has a consultation, a patch test, a
consent, a course, a session charted today, its check-ins and an open adverse event); clinic B
is the demo's Islamabad clinic, whose staff are the outsiders. `seed_demo` builds the chain
through the same services the app uses, cut to what the matrix needs (most of its running
time is the rest): its first two clinics, one booking a day for one day, and no course booked
end to end. What the demo does not make (an allergy, a baseline photo, a course
photo, an outcome score, a calendar address) is added here through the services; a lot alert
is written directly, since only a cluster of adverse events raises one.

Every value a URL needs is in `World.values` by name (`{consultation}`, `{check_in_token}` …),
the names the table's `fill` column uses.

The patient column is a real patient: the account clinic A's ready patient signs in to the
portal with (`portal.services.link_account`, by their mobile number and date of birth), so the
portal's rows ask for that patient's own records, whose ids are the same names (`{course}`,
`{consent}` …: the ready patient's). `World.others` fills the same names with another clinic A
patient's records, for the check that a portal page answers 404 to them.
"""

import io
from dataclasses import dataclass, field
from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from mesoclinic.accounts import tokens
from mesoclinic.accounts.roles import Role
from mesoclinic.aftercare import links
from mesoclinic.aftercare.models import CheckIn, ClusterAlert, CoursePhoto
from mesoclinic.aftercare.services import photos as photo_services
from mesoclinic.aftercare.services.scores import record_score
from mesoclinic.appointments import feeds
from mesoclinic.appointments.models import Appointment
from mesoclinic.audit.services import Interface
from mesoclinic.care import aftercare_link, selectors
from mesoclinic.care.models import (
    AdverseEvent,
    Allergy,
    Consent,
    Consultation,
    Course,
    PatchTest,
    TreatmentSession,
)
from mesoclinic.care.services import consents, screening
from mesoclinic.clinics.models import Clinic, Practitioner
from mesoclinic.formulary.models import (
    Ingredient,
    Lot,
    ProtocolVersion,
    StockMovement,
)
from mesoclinic.guide.models import Topic
from mesoclinic.notifications import contacts
from mesoclinic.notifications.models import Message
from mesoclinic.patients.models import Enquiry, Patient
from mesoclinic.portal.services import link_account
from mesoclinic.seed import demo, demo_schedule

CLINIC_A = "rawalpindi-saddar"
CLINIC_B = "islamabad-f7"
VIA = Interface.CLI
#: A signature that passes the pad's check (two strokes).
SIGNATURE = "[[[40,120],[80,80],[120,60],[160,100],[200,140]],[[300,150],[360,120],[420,90]]]"
MMASI = {"forehead": (2, 2), "right_malar": (3, 2), "left_malar": (3, 2), "chin": (0, 0)}

#: The columns of the table, in order, and who plays each. There is no nurse role: the demo's
#: "nurse" users are practitioners without a physician's qualification.
ROLES = (
    "anonymous",
    "receptionist",
    "practitioner",
    "manager",
    "administrator",
    "outsider_reception",
    "outsider_practitioner",
    "patient",
)


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> user (None for anonymous)
    values: dict = field(default_factory=dict)  # fill name -> value in a URL
    patient_marks: tuple = ()  # clinic A patients' full names and MRNs, as pages show them
    all_patient_marks: tuple = ()  # every demo patient's
    #: What only a clinic A patient bears: MRNs, and names no one outside clinic A shares (the
    #: demo draws names at random: Islamabad has an enquirer named as a Rawalpindi patient).
    leak_marks: tuple = ()
    #: The same names as `values`, filled with another clinic A patient's records (the portal's
    #: rows are asked with these too, and must answer the patient 404).
    others: dict = field(default_factory=dict)
    #: The ready patient's own name and MRN: the portal shows them to the patient.
    own_marks: tuple = ()


def png_upload() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (190, 140, 115)).save(out, "PNG")
    return SimpleUploadedFile("face.png", out.getvalue(), content_type="image/png")


def _user(username: str, role: str, **extra):
    user = get_user_model().objects.create_user(username=username, password=None, **extra)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def build() -> World:
    """Seed the demo (three days of bookings) and add what it lacks; returns the world."""
    reload_shipped_data()
    with (
        override_settings(DEBUG=True),
        mock.patch.object(demo, "CLINICS", demo.CLINICS[:2]),
        # Three days, not one: late in the clinics' evening today has no free slot left, and a
        # closed day may follow; the world needs a booking at clinic A whatever the hour.
        mock.patch.object(demo_schedule, "DAYS", 3),
        mock.patch.object(demo_schedule, "DAILY", ("consultation",)),
        mock.patch.object(demo_schedule, "book_demo_course", lambda **kwargs: None),
    ):
        call_command("seed_demo", stdout=io.StringIO())
    users = get_user_model().objects
    clinic = Clinic.objects.get(slug=CLINIC_A)
    doctor = users.get(username="doctor.rwp")
    reception = users.get(username="reception.rwp")
    world = World()
    world.users = {
        "anonymous": None,
        "receptionist": reception,
        "practitioner": doctor,
        "manager": users.get(username="manager.rwp"),
        # The demo's administrator (the role, and the admin's superuser).
        "administrator": users.get(username="admin"),
        "outsider_reception": users.get(username="reception.isb"),
        "outsider_practitioner": users.get(username="doctor.isb"),
        "patient": None,  # the ready patient's portal account, below
    }

    session = TreatmentSession.objects.filter(clinic=clinic).order_by("id").first()
    course = session.course
    patient = course.patient
    consultation = Consultation.objects.filter(patient=patient).order_by("id").first()
    lot = Lot.objects.filter(clinic=clinic).order_by("id").first()
    world.users["patient"] = _portal_account(patient)

    # A second consultation reporting an allergy to an ingredient not in the plan.
    allergen = Ingredient.objects.exclude(code="tranexamic_acid").order_by("id").first()
    screening.record_consultation(
        acting_user=doctor,
        via=VIA,
        patient=patient,
        data=screening.ConsultationInput(
            indication="melasma",
            pregnant=False,
            breastfeeding=False,
            may_become_pregnant=False,
            new_allergies=[allergen],
            planned_ingredients=["tranexamic_acid"],
            fitzpatrick_type=4,
        ),
    )
    photo = screening.add_photo(
        acting_user=doctor, via=VIA, consultation=consultation, upload=png_upload()
    )
    # The patient says yes to treatment photos (a new consent on the same plan), then one.
    consents.sign_consent(
        acting_user=reception,
        via=VIA,
        patient=patient,
        text=selectors.current_consent_text("mesotherapy_face"),
        language="en",
        signer_name=patient.full_name,
        signature_data=SIGNATURE,
        photo_consent=True,
    )
    course_photo = photo_services.upload_photo(
        acting_user=doctor, via=VIA, course=course, view="face_front", upload=png_upload()
    )
    score = record_score(
        acting_user=doctor,
        via=VIA,
        course=course,
        session=session,
        scale="mmasi",
        inputs={r: {"area": a, "darkness": d} for r, (a, d) in MMASI.items()},
    )
    practitioner = Practitioner.objects.get(user=doctor)
    _, feed_token = feeds.create_feed(acting_user=doctor, practitioner=practitioner, via=VIA)
    alert = ClusterAlert.objects.create(
        kind=ClusterAlert.Kind.LOT,
        clinic=clinic,
        lot=lot,
        events=list(AdverseEvent.objects.filter(clinic=clinic).values_list("pk", flat=True)),
        window_days=30,
        threshold=2,
    )
    check_in = CheckIn.objects.filter(session=session).order_by("id").first()
    # The practitioner's own API token and authenticator app (seed_demo gives every role that
    # needs a second factor one): theirs to rotate, revoke or remove, anyone else's 404.
    token, _key = tokens.issue_token(
        acting_user=doctor, user=doctor, via=VIA, name="matrix", scope="read", days=30
    )
    device = TOTPDevice.objects.get(user=doctor, confirmed=True)
    version = ProtocolVersion.objects.filter(status=ProtocolVersion.Status.APPROVED).first()
    world.values = {
        "clinic": clinic.slug,
        "clinic_id": clinic.pk,
        "patient": patient.pk,
        # The portal's name for one of the patient's own records (portal/tests/pages.py).
        "record": patient.pk,
        "enquiry": Enquiry.objects.filter(clinic=clinic).order_by("id").first().pk,
        "message": Message.objects.filter(clinic_id=clinic.pk).order_by("id").first().pk,
        "lot": lot.pk,
        "product": lot.product_id,
        "ingredient": allergen.pk,
        "movement": StockMovement.objects.filter(lot__clinic=clinic).order_by("id").first().pk,
        "protocol": version.protocol_id,
        "version": version.pk,
        "consultation": consultation.pk,
        "photo": photo.pk,
        "allergy": Allergy.objects.filter(patient=patient).order_by("id").first().pk,
        "patch_test": PatchTest.objects.filter(patient=patient).order_by("id").first().pk,
        "consent": Consent.objects.filter(patient=patient).order_by("id").first().pk,
        "course": course.pk,
        "session": session.pk,
        "check_in": check_in.pk,
        "adverse_event": AdverseEvent.objects.filter(clinic=clinic).order_by("id").first().pk,
        "alert": alert.pk,
        "course_photo": course_photo.pk,
        "score": score.pk,
        "scale": "mmasi",
        # Not the matrix patient's own (the portal rows ask with another patient's booking):
        # which of the demo's bookings comes first depends on the hour it was seeded at.
        "appointment": Appointment.objects.filter(clinic=clinic)
        .exclude(patient=patient)
        .order_by("id")
        .first()
        .pk,
        "practitioner": practitioner.pk,
        "today": timezone.localdate().isoformat(),
        "check_in_token": links.token_for(check_in.pk),
        "aftercare_token": aftercare_link.token_for(session.pk),
        "opt_out_token": contacts.opt_out_token(
            patient_id=patient.pk, channel="sms", clinic_id=clinic.pk
        ),
        "feed_token": feed_token,
        "api_token": token.pk,
        "factor_kind": "app",
        "factor": device.pk,
        # No visitor has started a booking in the demo: an unknown token (the lookup is the
        # access decision on that page).
        "booking_token": "no-such-booking-token-0000",
        # The guide's topics come with its own seed (`seed_guide`), not the demo's: a topic
        # when there is one, else an unknown slug (a public 404).
        "guide_topic": Topic.objects.filter(is_published=True)
        .values_list("slug", flat=True)
        .first()
        or "no-such-topic",
    }
    world.others = _others(clinic, patient)
    world.own_marks = tuple(mark for mark in (patient.full_name, patient.mrn) if mark)
    world.patient_marks = tuple(
        mark for p in clinic.patients.all() for mark in (p.full_name, p.mrn) if mark
    )
    elsewhere = {p.full_name for p in Patient.objects.exclude(registered_clinic=clinic)}
    elsewhere |= set(Enquiry.objects.exclude(clinic=clinic).values_list("name", flat=True))
    world.leak_marks = tuple(m for m in world.patient_marks if m not in elsewhere)
    world.all_patient_marks = tuple(
        mark for p in Patient.objects.all() for mark in (p.full_name, p.mrn) if mark
    )
    return world


def _portal_account(patient):
    """The ready patient's portal account, as their first sign-in makes it (linked by mobile
    number and date of birth); linked by hand if the demo gave someone else the same two,
    so the account reaches this one record and no other."""
    account = link_account(mobile=patient.mobile, date_of_birth=patient.date_of_birth, via=VIA)
    linked = Patient.objects.filter(portal_user=account).exclude(pk=patient.pk)
    if account is None or linked.exists():
        linked.update(portal_user=None)
        account = account or _user("matrix.patient", Role.PATIENT)
        Patient.objects.filter(pk=patient.pk).update(portal_user=account)
    return account


def reload_shipped_data() -> None:
    """What the migrations load, loaded again by their own loaders when missing: a
    transactional test that ran earlier on this worker (a browser journey) flushed it, and the
    demo the world is built from needs the roles, the formulary, the rules and the texts."""
    from importlib import import_module

    from django.apps import apps as django_apps

    from mesoclinic.care.models import AftercareText, ConsentText, ContraindicationRule
    from mesoclinic.formulary.models import Ingredient

    import_module("mesoclinic.accounts.migrations.0002_role_groups").create_groups(
        django_apps, None
    )
    loaders = (
        (Ingredient, ("mesoclinic.formulary.migrations.0003_seed_v1",)),
        (ContraindicationRule, ("mesoclinic.care.migrations.0002_rules_v1",)),
        (ConsentText, ("mesoclinic.care.migrations.0004_consent_texts_v1",)),
        (
            AftercareText,
            (
                "mesoclinic.care.migrations.0007_aftercare_v1",
                "mesoclinic.care.migrations.0010_worklist",
            ),
        ),
    )
    for model, modules in loaders:
        if not model.objects.exists():
            for module in modules:
                import_module(module).forwards(django_apps, None)
    if not ConsentText.objects.filter(version=2).exists():
        import_module("mesoclinic.care.migrations.0011_consent_plan").publish_texts(django_apps)
    if not Topic.objects.exists():  # the guide's own content (the guide's page rows ask it)
        for module in (
            "mesoclinic.guide.migrations.0003_content_v1",
            "mesoclinic.guide.migrations.0004_worklist_cellulite_note",
        ):
            import_module(module).forwards(django_apps, None)


def _others(clinic, patient) -> dict:
    """Another clinic A patient's records, by the names `World.values` uses: each kind's first
    row at clinic A whose patient is not the ready one (a kind with no such row is left out,
    and a portal row naming it fails the other-patient check, which says so)."""
    other = Q(patient__registered_clinic=clinic) & ~Q(patient=patient)
    kinds = {
        "consultation": Consultation,
        "allergy": Allergy,
        "patch_test": PatchTest,
        "consent": Consent,
        "course": Course,
        "session": TreatmentSession,
        "check_in": CheckIn,
        "course_photo": CoursePhoto,
        "adverse_event": AdverseEvent,
        "appointment": Appointment,
    }
    someone = clinic.patients.exclude(pk=patient.pk).order_by("id").first()
    found = {"patient": someone.pk, "record": someone.pk}
    for name, model in kinds.items():
        # Another clinic A patient's row; failing that (the demo gives few patients some kinds,
        # such as check-ins), any other patient's: either way it is not the patient's own.
        for condition in (other, ~Q(patient=patient)):
            pk = model.objects.filter(condition).order_by("id").values_list("pk", flat=True)
            if pk.first() is not None:
                found[name] = pk.first()
                break
        else:
            # The demo has no other patient's row of this kind (treatment photos): an id no
            # row has, which must answer the same 404. The portal's own tests ask for another
            # patient's real photo (portal/tests/treatment).
            found[name] = (
                model.objects.order_by("-id").values_list("pk", flat=True).first() or 0
            ) + 1
    return found

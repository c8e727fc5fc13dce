"""Demo formulary for `seed_demo`: fictional products (brands marked "demo"), lots at every
clinic (one expiring within the month, one running low, one recalled across two clinics, with
the patients who received it) and the default protocols approved by the Islamabad dermatologist.
Everything goes through the services, so the demo obeys the same rules as the clinic."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from mesoclinic.audit.services import Interface
from mesoclinic.formulary import services
from mesoclinic.formulary.models import Ingredient, Lot, Product, ProductIngredient, ProtocolVersion

VIA = Interface.CLI

PRODUCTS = [
    # brand, manufacturer, form, ingredient, strength, unit, pack, storage, multi-dose hours, low
    (
        "TXA Meso 4 (demo)",
        "Indus Demo Pharma",
        "solution",
        "tranexamic_acid",
        "4",
        "mg/mL",
        "5",
        "room",
        None,
        "10",
    ),
    (
        "Hyalo NC (demo)",
        "Margalla Demo Labs",
        "solution",
        "hyaluronic_acid",
        "15",
        "mg/mL",
        "3",
        "room",
        None,
        "6",
    ),
    (
        "Biotin Hair Complex (demo)",
        "Ravi Demo Biotech",
        "solution",
        "biotin",
        "5",
        "mg/mL",
        "10",
        "fridge",
        24,
        "10",
    ),
    (
        "DutaMeso 0.01% (demo)",
        "Indus Demo Pharma",
        "solution",
        "dutasteride",
        "0.01",
        "%",
        "2",
        "room",
        None,
        "4",
    ),
    (
        "Deoxy Contour 10 (demo)",
        "Margalla Demo Labs",
        "solution",
        "deoxycholic_acid",
        "10",
        "mg/mL",
        "2",
        "room",
        None,
        "4",
    ),
    (
        "Triam 10 (demo)",
        "Ravi Demo Biotech",
        "solution",
        "triamcinolone",
        "10",
        "mg/mL",
        "1",
        "room",
        None,
        "2",
    ),
    (
        "NumbCare 5% (demo)",
        "Indus Demo Pharma",
        "cream",
        "lidocaine",
        "5",
        "%",
        "30",
        "room",
        None,
        "30",
    ),
]

#: The manufacturer lot recalled in the demo, received by every clinic.
RECALLED_LOT = "DM2609R"


def seed(*, admin, clinics, dermatologist_user, patients_by_clinic) -> None:
    products = _products()
    today = timezone.localdate()
    for clinic in clinics:
        if Lot.objects.filter(clinic=clinic).exists():
            continue
        code = clinic.slug[:3].upper()

        def receive(
            product, number, quantity, expires_in_days, received_days_ago=20, clinic=clinic
        ):
            return services.receive_lot(
                acting_user=admin,
                via=VIA,
                clinic=clinic,
                product=products[product],
                lot_number=number,
                expires_on=today + timedelta(days=expires_in_days),
                received_on=today - timedelta(days=received_days_ago),
                quantity=Decimal(quantity),
            )

        txa = receive("TXA Meso 4 (demo)", f"TX{code}2611", "100", 400)
        receive("TXA Meso 4 (demo)", f"TX{code}2512", "25", 20)  # expires within the month
        receive("Hyalo NC (demo)", f"HY{code}2702", "30", 300)
        biotin = receive("Biotin Hair Complex (demo)", f"BI{code}2604", "40", 150)
        receive("NumbCare 5% (demo)", f"NC{code}2801", "120", 500)
        receive("Deoxy Contour 10 (demo)", f"DC{code}2703", "20", 250)
        low = receive("Triam 10 (demo)", f"TR{code}2610", "5", 200)
        services.record_movement(
            acting_user=admin,
            via=VIA,
            lot=low,
            kind="wasted",
            quantity=Decimal("4"),
            note="Demo: vial dropped.",
        )  # now below its low-stock level
        patients = patients_by_clinic.get(clinic.pk, [])

        def use(lot, patient, quantity):
            services.record_movement(
                acting_user=admin,
                via=VIA,
                lot=lot,
                kind="used",
                quantity=Decimal(quantity),
                patient=patient,
            )

        for patient in patients[:3]:
            use(txa, patient, "2")
        if patients:
            services.open_vial(acting_user=admin, via=VIA, lot=biotin)
            use(biotin, patients[0], "2")
        # Every clinic received the manufacturer lot that is recalled below.
        duta = receive("DutaMeso 0.01% (demo)", RECALLED_LOT, "20", 180)
        # Dutasteride only for men: it is contraindicated in a woman who may become pregnant.
        for patient in [p for p in patients if p.sex == "male"][:2]:
            use(duta, patient, "1")
    recalled = Lot.objects.filter(lot_number=RECALLED_LOT).first()
    if recalled is not None and recalled.status != Lot.Status.RECALLED:
        services.recall_lot(
            acting_user=admin,
            via=VIA,
            lot=recalled,
            reason="Demo: manufacturer notice of particulate matter in lot DM2609R.",
        )
    for draft in ProtocolVersion.objects.filter(status=ProtocolVersion.Status.DRAFT, number=1):
        services.approve_version(
            acting_user=dermatologist_user,
            via=VIA,
            version=draft,
            revision=draft.revision,
            confirmed_unverified=True,
        )


def _products() -> dict[str, Product]:
    products = {}
    for brand, maker, form, ingredient, strength, unit, pack, storage, hours, low in PRODUCTS:
        product, created = Product.objects.get_or_create(
            brand=brand,
            defaults={
                "manufacturer": maker,
                "drap_registration": f"DEMO-{len(products) + 1:04d}",
                "form": form,
                "stock_unit": "g" if form == "cream" else "mL",
                "pack_size": Decimal(pack),
                "storage": storage,
                "multi_dose": hours is not None,
                "discard_after_hours": hours,
                "low_stock_level": Decimal(low),
            },
        )
        if created:
            ProductIngredient.objects.create(
                product=product,
                ingredient=Ingredient.objects.get(code=ingredient),
                concentration=Decimal(strength),
                unit=unit,
            )
        products[brand] = product
    return products

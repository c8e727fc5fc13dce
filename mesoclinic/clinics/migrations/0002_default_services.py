"""The treatments a clinic can offer, named in English and Urdu; editable in the admin."""

from django.db import migrations

SERVICES = [
    ("melasma", "Melasma and pigmentation", "میلازما اور رنگت کے دھبے"),
    ("skin-rejuvenation", "Skin rejuvenation", "جلد کی تازگی"),
    ("hair-loss", "Hair loss", "بالوں کا گرنا"),
    ("localized-fat", "Localized fat", "مقامی چربی"),
    ("consultation", "Consultation and patch test", "مشاورت اور پیچ ٹیسٹ"),
]


def create_services(apps, schema_editor):
    Service = apps.get_model("clinics", "Service")
    for code, name, name_ur in SERVICES:
        Service.objects.get_or_create(code=code, defaults={"name": name, "name_ur": name_ur})


class Migration(migrations.Migration):
    dependencies = [("clinics", "0001_initial")]

    operations = [migrations.RunPython(create_services, migrations.RunPython.noop)]

"""The self-check's cellulite note leads with the evidence: there is none that it works
(Luebberding et al., Am J Clin Dermatol 2015; CLINICAL.md, "cellulite"). A note a clinic has
already edited is left as it is."""

from django.db import migrations

OLD_EN = (
    "Studies have not shown clear benefit of mesotherapy for cellulite (Luebberding et al., "
    "2015), so a consultation may advise against it."
)
NEW_EN = (
    "No evidence that it works: studies have not shown a clear benefit of mesotherapy for "
    "cellulite (Luebberding et al., 2015), so a consultation may advise against it."
)
NEW_UR = (
    "اس کے مؤثر ہونے کا کوئی ثبوت نہیں: تحقیق میں سیلولائٹ کے لیے میسوتھراپی کا کوئی واضح "
    "فائدہ ثابت نہیں ہوا (Luebberding et al., 2015)، اس لیے مشاورے میں ڈاکٹر اس سے منع کر "
    "سکتے ہیں۔"
)


def forwards(apps, schema_editor):
    Concern = apps.get_model("guide", "Concern")
    Concern.objects.filter(code="cellulite", note_en=OLD_EN).update(
        note_en=NEW_EN, note_ur=NEW_UR
    )


class Migration(migrations.Migration):
    dependencies = [("guide", "0003_content_v1")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

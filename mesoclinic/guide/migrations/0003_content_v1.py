"""The guide as shipped: topics, questions, self-check concerns and timeline steps in English
and Urdu, then the search index over them. A production install gets them here, not from the
demo seed. Later content changes ship as new migrations with a new seed file."""

from django.db import migrations

from mesoclinic.guide.content import load_content, read_seed, rebuild_search_index


def forwards(apps, schema_editor):
    models = {name: apps.get_model("guide", name) for name in ("Topic", "Question", "Concern")}
    load_content(read_seed("content_v1.json"), TimelineStep=apps.get_model("guide", "TimelineStep"), **models)
    rebuild_search_index(
        Topic=models["Topic"], Question=models["Question"], SearchEntry=apps.get_model("guide", "SearchEntry")
    )


class Migration(migrations.Migration):
    dependencies = [("guide", "0002_search_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""The guide as shipped: topics, questions, self-check concerns and timeline steps in English
and Urdu. A production install gets them here, not from the demo seed. Later content changes
ship as new migrations with a new seed file.

The loader is written out here rather than imported, so later changes to the app's code cannot
change what this migration does. The search index is not built here: the guide app rebuilds it
after every `migrate` (see GuideConfig.ready), with the folding rules of the code being run.
"""

import json
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "seed" / "content_v1.json"


def forwards(apps, schema_editor):
    data = json.loads(SEED.read_text(encoding="utf-8"))
    Topic = apps.get_model("guide", "Topic")
    Question = apps.get_model("guide", "Question")
    Concern = apps.get_model("guide", "Concern")
    TimelineStep = apps.get_model("guide", "TimelineStep")
    topics = {}
    for item in data["topics"]:
        fields = {key: value for key, value in item.items() if key != "slug"}
        topics[item["slug"]], _ = Topic.objects.update_or_create(slug=item["slug"], defaults=fields)
    for item in data["questions"]:
        fields = {key: value for key, value in item.items() if key not in ("slug", "topic")}
        fields["topic"] = topics.get(item.get("topic"))
        Question.objects.update_or_create(slug=item["slug"], defaults=fields)
    for item in data["concerns"]:
        fields = {key: value for key, value in item.items() if key != "code"}
        Concern.objects.update_or_create(code=item["code"], defaults=fields)
    for item in data["timeline_steps"]:
        fields = {key: value for key, value in item.items() if key != "order"}
        TimelineStep.objects.update_or_create(order=item["order"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("guide", "0002_search_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

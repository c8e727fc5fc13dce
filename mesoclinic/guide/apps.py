from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _rebuild_index_after_migrate(sender, using, **kwargs):
    """Every `migrate` (and a test database's creation) ends with an index built by the code
    that is running, so a change to the folding rules reaches existing installs at the next
    deploy. Skipped when the guide's tables are not there (migrated back to zero)."""
    if "guide_searchentry" not in connections[using].introspection.table_names():
        return
    from mesoclinic.guide.services import rebuild_search_index

    rebuild_search_index()


class GuideConfig(AppConfig):
    name = "mesoclinic.guide"
    label = "guide"

    def ready(self):
        post_migrate.connect(_rebuild_index_after_migrate, sender=self)

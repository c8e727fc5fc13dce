"""Writes to the guide: content edits from the admin, each with its audit row and a fresh
search index in the same transaction, so search never shows text that is no longer there."""

from django.db import transaction

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.guide import content
from mesoclinic.guide.models import Question, SearchEntry, Topic


def rebuild_search_index() -> int:
    return content.rebuild_search_index(Topic=Topic, Question=Question, SearchEntry=SearchEntry)


@transaction.atomic
def save_content(*, acting_user, item, changed_fields=(), created: bool = False) -> None:
    item.save()
    record_event(
        actor=acting_user,
        action=Action.CREATE if created else Action.UPDATE,
        via=Interface.ADMIN,
        instance=item,
        changed_fields=changed_fields,
    )
    rebuild_search_index()


@transaction.atomic
def delete_content(*, acting_user, items) -> None:
    for item in items:
        record_event(actor=acting_user, action=Action.DELETE, via=Interface.ADMIN, instance=item)
        item.delete()
    rebuild_search_index()

"""Writes to the guide: content edits from the admin, each with its audit row and a fresh
search index in the same transaction, so search never shows text that is no longer there."""

from django.db import connection, transaction

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.guide.content import search_documents
from mesoclinic.guide.models import Question, SearchEntry, Topic
from mesoclinic.guide.selectors import forget_searches


@transaction.atomic
def rebuild_search_index() -> int:
    """Replace the whole index: the guide is a few dozen documents, a rebuild takes
    milliseconds and can never leave a stale row behind. On PostgreSQL the table is locked
    first, so two editors saving at once cannot interleave their deletes and inserts (SQLite
    already runs one writing transaction at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE guide_searchentry IN EXCLUSIVE MODE")
    SearchEntry.objects.all().delete()
    rows = search_documents(
        Topic.objects.filter(is_published=True), Question.objects.filter(is_published=True)
    )
    SearchEntry.objects.bulk_create(SearchEntry(**row) for row in rows)
    # Cached searches (selectors.search_guide) are stale from now, and again once this commits
    # (a search between the two would have cached the old rows under the new version).
    forget_searches()
    transaction.on_commit(forget_searches)
    return len(rows)


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

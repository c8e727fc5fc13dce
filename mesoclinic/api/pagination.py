from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Keyset pagination on the primary key, newest first: constant cost on every page, no COUNT."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 200

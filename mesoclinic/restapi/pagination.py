from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from mesoclinic.restapi.params import as_database_id


class IdCursorPagination(CursorPagination):
    """Keyset pagination on the primary key, newest first: constant cost on every page, no COUNT."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """`page_size` as the schema states it: a whole number from 1 to `max_page_size`, or
        400 naming it. DRF would quietly use the default for "null", "0" or "abc" and cut a
        larger number down, so a client's mistake went unnoticed."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        number = as_database_id(raw)
        if number is None or number > self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        f"A page size is a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return number

    def decode_cursor(self, request):
        """DRF trusts the decoded position; a forged cursor must be a 404, not a 500."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                int(cursor.position)
            except (TypeError, ValueError):
                raise NotFound(self.invalid_cursor_message) from None
        return cursor

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
                parameter["description"] = (
                    f"Results per page, 1 to {self.max_page_size} ({self.page_size} if not given)."
                )
        return parameters

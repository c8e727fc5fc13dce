"""Request hygiene shared by every page and API endpoint."""

from django.db import connection
from django.http import HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers

from mesoclinic.core.machine_errors import machine_error


class RejectNullCharactersMiddleware:
    """Answer 400 to a NUL character in the path, query string or cookies.

    PostgreSQL cannot store or compare text containing NUL, so such a value would otherwise
    reach a query and fail there as a 500 (SQLite accepts it, hiding the problem in development).
    Form and JSON bodies are already covered by Django's and DRF's CharField validators.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()
            )
            # A forged session cookie would otherwise reach the session lookup.
            or any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items())
        ):
            message = "Null characters are not allowed."
            return machine_error(request, message, status=400, code="invalid") or (
                HttpResponseBadRequest(message)
            )
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """Pages and API answers for signed-in users are never cached by browsers or proxies:
    front-desk computers are shared, and patient data must not linger in a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response


class QueryCountHeaderMiddleware:
    """For `make bench` only (MESOCLINIC_QUERY_COUNT_HEADER=true): each response carries
    X-Query-Count, the database queries its request made, sessions and audit included, so the
    load generator reports queries per request as the server counted them. First in the list,
    so it counts every other middleware's queries too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response

"""The FHIR endpoints: thin views over the registry, the selectors and the types' own writes.
Authentication, permissions and the rate limit are the JSON API's (DRF's defaults); every
answer is FHIR JSON and every error an OperationOutcome (http.py)."""

from urllib.parse import parse_qsl

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from mesoclinic.accounts.authentication import ApiTokenAuthentication, BearerTokenAuthentication
from mesoclinic.fhir import bundles, registry, selectors
from mesoclinic.fhir.capability import capability_statement, params_of
from mesoclinic.fhir.http import (
    AlwaysFhirJSON,
    FhirJSONParser,
    FhirJSONRenderer,
    PlainJSONParser,
    exception_handler,
)
from mesoclinic.fhir.mapping.common import version_of
from mesoclinic.fhir.outcome import FhirError, invalid, issue, not_found, precondition_failed
from mesoclinic.fhir.search import parse_query

#: pyproject.toml's version: the CapabilityStatement names the software that answers.
SOFTWARE_VERSION = "0.1.0"


class FhirView(APIView):
    # Bearer first: a 401 then says `WWW-Authenticate: Bearer`, what FHIR clients expect.
    authentication_classes = [
        BearerTokenAuthentication,
        ApiTokenAuthentication,
        SessionAuthentication,
    ]
    renderer_classes = [FhirJSONRenderer]
    parser_classes = [FhirJSONParser, PlainJSONParser]
    content_negotiation_class = AlwaysFhirJSON
    # Not part of the JSON API's OpenAPI schema: FHIR describes itself (/metadata).
    schema = None

    def get_exception_handler(self):
        return exception_handler

    def base_url(self) -> str:
        return self.request.build_absolute_uri(reverse("fhir:base")).rstrip("/")


def resource_type_or_404(name: str) -> registry.ResourceType:
    resource_type = registry.get(name)
    if resource_type is None:
        raise FhirError(404, [issue("not-supported", f"This server has no {name} resources.")])
    return resource_type


def query_pairs(request) -> list[tuple[str, str]]:
    return [(name, value) for name, values in request.query_params.lists() for value in values]


def known_params(resource_type: registry.ResourceType) -> set[str]:
    return {param.name for param in params_of(resource_type)}


def resource_body(request, type_name: str) -> dict:
    """The request's resource, which must be a `type_name`."""
    body = request.data
    if not isinstance(body, dict) or "resourceType" not in body:
        raise invalid("The body must be a FHIR resource: a JSON object with a resourceType.")
    if body["resourceType"] != type_name:
        raise invalid(
            f"The body is a {body['resourceType']!r}, not a {type_name}.",
            expression=["resourceType"],
        )
    return body


def with_version_headers(response: Response, resource: dict) -> Response:
    version = resource.get("meta", {}).get("versionId")
    if version:
        response["ETag"] = f'W/"{version}"'
    return response


class MetadataView(FhirView):
    """The CapabilityStatement is public, as the FHIR and SMART specifications expect: clients
    read it before they authenticate. It names no patient and no clinic."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        return Response(capability_statement(self.base_url(), software_version=SOFTWARE_VERSION))


class TypeView(FhirView):
    def get(self, request, type_name):
        resource_type = resource_type_or_404(type_name)
        query = parse_query(
            query_pairs(request),
            known=known_params(resource_type),
            includes=set(resource_type.includes),
        )
        page = selectors.search_page(request.user, resource_type, query)
        matches = page.matches()
        included = []
        rows = [row for _source, row in page.rows]
        for name in query.includes:
            included.extend(resource_type.includes[name](request.user, rows))
        selectors.audit_search(request.user, resource_type, page)
        return Response(
            bundles.searchset(
                base=self.base_url(),
                type_name=type_name,
                query=query,
                matches=matches,
                included=_unique(included),
                next_cursor=page.next_cursor,
                total=page.total,
            )
        )

    def post(self, request, type_name):
        resource_type = resource_type_or_404(type_name)
        if resource_type.create is None:
            raise FhirError(405, [issue("not-supported", f"{type_name} is read-only here.")])
        body = resource_body(request, type_name)
        condition = request.headers.get("If-None-Exist")
        if condition:
            existing = self._existing(resource_type, condition)
            if existing is not None:
                resource = existing[0].to_resource(existing[1])
                return with_version_headers(Response(resource, status=200), resource)
        row = resource_type.create(request.user, body)
        source = resource_type.sources[0]
        row = source.queryset(request.user).get(pk=row.pk)
        resource = source.to_resource(row)
        response = Response(resource, status=201)
        # The resource's own URL: this server keeps no history to read a version back from.
        response["Location"] = f"{self.base_url()}/{type_name}/{resource['id']}"
        return with_version_headers(response, resource)

    def _existing(self, resource_type, condition: str):
        """If-None-Exist: the one match, None when there is none; several are a 412."""
        pairs = parse_qsl(condition, keep_blank_values=True)
        if any("\x00" in name or "\x00" in value for name, value in pairs):
            raise invalid("If-None-Exist: null characters are not allowed.")
        query = parse_query(pairs, known=known_params(resource_type), includes=set())
        if query.ignored or not query.params:
            raise invalid(
                "If-None-Exist must be a search on this type's parameters; not understood: "
                f"{', '.join(query.ignored) or condition!r}."
            )
        query.count, query.cursor = 2, None  # every match counts, from the first
        page = selectors.search_page(self.request.user, resource_type, query)
        if len(page.rows) > 1:
            raise precondition_failed("If-None-Exist matches more than one resource.")
        if not page.rows:
            return None
        # The match is answered in full: a read of the record, audited as one.
        selectors.audit_read(self.request.user, resource_type, page.rows[0][1])
        return page.rows[0]


class InstanceView(FhirView):
    def get(self, request, type_name, ident):
        resource_type = resource_type_or_404(type_name)
        source, row = selectors.read(request.user, resource_type, ident)
        resource = row if source is None else source.to_resource(row)  # None: computed
        return with_version_headers(Response(resource), resource)

    def put(self, request, type_name, ident):
        resource_type = resource_type_or_404(type_name)
        if resource_type.update is None:
            raise FhirError(405, [issue("not-supported", f"{type_name} is read-only here.")])
        # The record first: another clinic's is a 404 whatever the body says.
        source, row = selectors.read(request.user, resource_type, ident)
        body = resource_body(request, type_name)
        if body.get("id") != ident:
            raise invalid(
                f"The resource's id ({body.get('id')!r}) must be the one in the URL ({ident}).",
                expression=[f"{type_name}.id"],
            )
        wanted = request.headers.get("If-Match")
        if wanted:
            row = self._update_if_version(resource_type, source, row, body, wanted)
        else:
            row = resource_type.update(request.user, row, body)
        row = source.queryset(request.user).get(pk=row.pk)
        resource = source.to_resource(row)
        return with_version_headers(Response(resource), resource)

    def _update_if_version(self, resource_type, source, row, body, wanted: str):
        """If-Match: compare and update under the row's lock, so of two clients holding the
        same version one wins and the other gets 412 (not a silent overwrite). A service's
        refusal is raised after the lock's transaction commits, keeping its audit rows."""
        refusal = None
        with transaction.atomic():
            stored = (
                type(row)
                .objects.select_for_update()
                .filter(pk=row.pk)
                .values_list(source.updated, flat=True)
                .first()
            )
            if stored is None or wanted.strip().removeprefix("W/").strip('"') != version_of(stored):
                raise precondition_failed(
                    f"{resource_type.name}/{source.id_of(row.pk)} has changed since version "
                    f"{wanted[:40]}: read it again."
                )
            try:
                row = resource_type.update(self.request.user, row, body)
            except (ValidationError, FhirError) as exc:
                refusal = exc
        if refusal is not None:
            raise refusal
        return row

    def delete(self, request, type_name, ident):
        resource_type_or_404(type_name)
        raise FhirError(
            405,
            [issue("not-supported", "Nothing is deleted here: patients are archived instead.")],
        )


class UnknownView(FhirView):
    """Any other path under /fhir/R4/: 404 as an OperationOutcome (after authentication); other
    methods get DRF's 405, an OperationOutcome too."""

    def get(self, request, rest=""):
        raise not_found(f"/{rest} is not an endpoint of this server.")


def _unique(resources: list[dict]) -> list[dict]:
    seen, unique = set(), []
    for resource in resources:
        key = (resource["resourceType"], resource["id"])
        if key not in seen:
            seen.add(key)
            unique.append(resource)
    return unique

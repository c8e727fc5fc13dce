"""The /api/v1/ face: the router that registers every domain's viewsets, the OpenAPI schema and
its docs. It imports every app's `api/` package and nothing imports it; the base those packages
build on is `mesoclinic.restapi`, low in the house."""

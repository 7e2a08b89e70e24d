# Two commands for a fresh clone: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: setup os-deps python-deps assets messages run test test-scale lint bench backup restore

setup: os-deps python-deps assets messages

os-deps:
	@bash scripts/setup_os.sh

python-deps: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Cần Python 3.11 trở lên (đang có: $$($(PYTHON) --version))." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	@touch $@

assets: static/vendor/.installed

static/vendor/.installed: package-lock.json scripts/copy_assets.sh
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	bash scripts/copy_assets.sh
	@touch $@

# Each catalogue compiled when its .po is newer (as compilemessages does it), so a second `make test` beside a
# first one (CI runs SQLite and PostgreSQL side by side) never rewrites a .mo the other is reading.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
messages: $(MO_FILES)

locale/%.mo: locale/%.po
	msgfmt --check-format -o $@ $<

# Production settings (DEBUG off, Vietnamese error pages) over plain HTTP on loopback; the key is made once in var/.
run: export LOCAL_HTTP ?= 1
run: export PORT := $(PORT)
run: setup
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py load_demo
	@# The background worker renders queued reports; it stops with the server (Ctrl+C).
	$(BIN)/python manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: python-deps
	$(BIN)/ruff check .

test: setup lint
	$(BIN)/python -m pytest

# Two gunicorn instances, two db_worker processes, one PostgreSQL database and moto's S3 server, all on 127.0.0.1
# (tests/scale/test_scale_out.py; CI runs it inside `make test` on PostgreSQL). DATABASE_URL: a local PostgreSQL
# server (a database of its own is created and dropped), e.g. postgres://postgres@127.0.0.1:5432/postgres.
test-scale: python-deps
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "Cần DATABASE_URL=postgres://… (máy chủ PostgreSQL cục bộ)." >&2; exit 2;; esac
	$(BIN)/python -m pytest -q -p no:randomly tests/scale

bench: setup
	$(BIN)/python bench/run.py

# Database dump plus private media in one archive under var/backups/; restore into a freshly migrated database.
backup: python-deps
	bash scripts/backup.sh

restore: python-deps
	@test -n "$(FILE)" || { echo "Cách dùng: make restore FILE=var/backups/thidua-….tar.gz" >&2; exit 2; }
	bash scripts/restore.sh $(FILE) $(FORCE)

# Two entry points: `make lab` (set up, then JupyterLab on the start notebook) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup lab test unit notebooks notebooks-test integration bench lite clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "rolecourse needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab,test]'
	$(BIN)/python -m pip uninstall --quiet --yes jupyterlite-pyodide-kernel jupyterlite-core
	touch $(STAMP)

# JupyterLite's build tools live in their own environment. The Pyodide kernel's lab extension
# cannot load in a real JupyterLab ("Shared module @jupyterlite/services doesn't exist in shared
# scope default" in the browser console, even when disabled: JupyterLab loads a disabled
# extension's code and only skips its plugins), so it is kept out of .venv, and the line above
# removes it from a .venv that an older `make setup` installed it into. Only the targets that
# build the site (lite, test, integration) make it: `make lab` does not need it.
LITE_VENV  := .venv-lite
LITE_STAMP := $(LITE_VENV)/.installed-stamp

$(LITE_STAMP): pyproject.toml
	test -x $(LITE_VENV)/bin/python || $(PYTHON) -m venv $(LITE_VENV)
	$(LITE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LITE_VENV)/bin/python -m pip install --quiet -e '.[lite]'
	touch $(LITE_STAMP)

# The package's bytecode is (re)compiled here: where PYTHONDONTWRITEBYTECODE is set (some
# containers and CI images), Python would otherwise compile every changed module again in each
# kernel and each CLI run. Only modules whose source changed are compiled.
setup: $(STAMP)
	@$(BIN)/python -m compileall -q src

# JupyterLab refuses to start as root without --allow-root (containers, CI-like machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: setup
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/00-start-here.ipynb

PYTEST    := $(BIN)/python -m pytest
NOTEBOOKS := notebooks exercises lessons
NBVAL     := --nbval --nbval-sanitize-with nbval_sanitize.cfg -p no:cacheprovider
# Notebooks in parallel, two workers (this machine has two cores): --dist loadfile sends every
# cell of a notebook to the same worker, in order, so each notebook runs in one kernel as in Lab.
PARALLEL  := -n 2 --dist loadfile

# Every tier (see conftest.py): unit tests; the notebooks under nbval, three times with three
# hash seeds (they must be deterministic run after run; a set or dict iterated in hash order
# shows up as a changed output); then integration (JupyterLab in Chromium, Binder, JupyterLite,
# Voila). Under CI=true a missing Chromium or a missing notebook fails instead of skipping.
test: setup $(LITE_STAMP)
	PYTHONHASHSEED=1 $(PYTEST) tests -m "not integration" $(PARALLEL) -p no:cacheprovider
	# Every notebook under hash seed 1; the quick ones again under seeds 2 and 3. Slow lessons (a
	# server, a JVM, a network to train: up to 60 s each) run once here to keep make test within
	# its 20 minutes; their authors ran them under two seeds, and they seed everything they draw.
	PYTHONHASHSEED=1 $(PYTEST) $(NOTEBOOKS) $(NBVAL) -m notebooks $(PARALLEL) -q
	for seed in 2 3; do PYTHONHASHSEED=$$seed $(PYTEST) $(NOTEBOOKS) $(NBVAL) -m "notebooks and not slow" $(PARALLEL) -q || exit 1; done
	PYTHONHASHSEED=1 $(PYTEST) tests -m integration -p no:cacheprovider

# Re-execute the notebooks in place after a change to the package or the content.
notebooks: setup
	$(BIN)/python tools/execute_notebooks.py

unit: setup
	$(PYTEST) tests -m "not integration" $(PARALLEL)

# One tier at a time: `make notebooks-test`, `make integration`.
notebooks-test: setup
	$(PYTEST) $(NOTEBOOKS) $(NBVAL) -m notebooks $(PARALLEL)

integration: setup $(LITE_STAMP)
	$(PYTEST) tests -m integration

bench: setup
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# --- LITE: the course as a static JupyterLite site (no server; Pyodide comes from a CDN when
# a learner opens it). Builds offline into lite-site/; serve with python -m http.server -d lite-site.
# lite/build.py builds the wheel here and runs `jupyter lite build` from .venv-lite.
lite: setup $(LITE_STAMP)
	$(BIN)/python lite/build.py --output-dir lite-site

clean:
	rm -rf $(VENV) $(LITE_VENV) build dist _output lite-site .pytest_cache

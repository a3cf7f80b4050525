# Two entry points: `make lab` (set up, then JupyterLab on the start notebook) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup lab test unit notebooks bench lite clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "rolecourse needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[lab,test]'
	touch $(STAMP)

# The package's bytecode is (re)compiled here: where PYTHONDONTWRITEBYTECODE is set (some
# containers and CI images), Python would otherwise compile every changed module again in each
# kernel and each CLI run. Only modules whose source changed are compiled.
setup: $(STAMP)
	@$(BIN)/python -m compileall -q src

# JupyterLab refuses to start as root without --allow-root (containers, CI-like machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: setup
	$(BIN)/jupyter lab $(ALLOW_ROOT) notebooks/00-start-here.ipynb

NBVAL := --nbval --nbval-sanitize-with nbval_sanitize.cfg -p no:cacheprovider

# Everything: unit tests, notebooks and exercise notebooks under nbval, the browser test when
# Chromium is installed. Then the notebooks twice more with other hash seeds: they must be
# deterministic run after run.
test: setup
	PYTHONHASHSEED=1 $(BIN)/python -m pytest tests notebooks exercises lessons $(NBVAL)
	for seed in 2 3; do PYTHONHASHSEED=$$seed $(BIN)/python -m pytest notebooks exercises lessons $(NBVAL) -q || exit 1; done

# Re-execute the notebooks in place after a change to the package or the content.
notebooks: setup
	$(BIN)/python tools/execute_notebooks.py

unit: setup
	$(BIN)/python -m pytest tests

bench: setup
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# --- LITE: the course as a static JupyterLite site (no server; Pyodide comes from a CDN when
# a learner opens it). Builds offline into lite-site/; serve with python -m http.server -d lite-site.
lite: setup
	$(BIN)/python lite/build.py --output-dir lite-site

clean:
	rm -rf $(VENV) build dist _output lite-site .pytest_cache

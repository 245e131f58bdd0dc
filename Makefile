# orbitaldc: the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCENARIO ?= scenarios/suncatcher-81.toml
OUT ?= out/suncatcher-81

.PHONY: run test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/orbitaldc run $(SCENARIO) --out $(OUT)

# Two xdist workers, one test file each at a time (tests/conftest.py schedules whole files, and
# the files that start many processes as one unit so they never run side by side): on a
# fresh clone most of the time is numba's first compile of each kernel (cached in __pycache__ for
# later runs), and a file's tests share their kernels, so whole files per worker compile each kernel
# once, both cores busy.
test: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info

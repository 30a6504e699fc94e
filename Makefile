# The two commands: `make test` and `make demo`. Both set up what they need under
# .cache/ (nox and antsibull-nox from the package registry, then a venv per
# session); the sessions themselves are in noxfile.py and antsibull-nox.toml.
#
#   make test                                    every default session (`make list` shows them)
#   make test STAGES="units sanity"              the sessions of those stages (nox tags)
#   make test SESSIONS=integration-newest        named sessions
#   make test SESSIONS=integration-newest ARGS=tls   arguments for the session (here: one target)
#   make docs                                    the docsite as HTML: .cache/docsite/build/html/index.html
.PHONY: demo docs test list bench clean

PYTHON ?= python3
NOX_VENV := .cache/venv/nox
NOX := $(NOX_VENV)/bin/nox
REPORT := .cache/nox-report.json
SELECT = $(if $(SESSIONS),-s $(SESSIONS)) $(if $(STAGES),-t $(STAGES)) $(if $(ARGS),-- $(ARGS))

test: $(NOX)
	@rm -f $(REPORT); $(NOX) --report $(REPORT) $(SELECT); \
		$(NOX_VENV)/bin/python tests/utils/summary.py $(REPORT) $$?

demo: $(NOX)
	@$(NOX) -s demo $(if $(ARGS),-- $(ARGS))

docs: $(NOX)
	@$(NOX) -s docs-build

list: $(NOX)
	@$(NOX) -l

bench: $(NOX)
	@$(NOX) -s bench $(if $(BENCH_ARGS),-- $(BENCH_ARGS))

$(NOX): tests/utils/requirements-nox.txt
	$(PYTHON) -m venv --clear $(NOX_VENV)
	$(NOX_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/utils/requirements-nox.txt
	touch $(NOX)

clean:
	rm -rf .cache tests/output

# The two commands: `make demo` and `make test`. Both set up what they need
# under .cache/ (Python venvs from the package registry); see README.md.
.PHONY: demo test test-units test-sanity test-simulator test-integration test-ecosystem bench clean

demo:
	@tests/utils/demo.sh

test:
	@tests/utils/run-tests.sh

test-units:
	@tests/utils/run-tests.sh units

test-sanity:
	@tests/utils/run-tests.sh sanity

test-simulator:
	@tests/utils/run-tests.sh simulator

test-integration:
	@tests/utils/run-tests.sh integration

test-ecosystem:
	@tests/utils/run-tests.sh ecosystem

bench:
	@bench/bench.sh $(BENCH_ARGS)

clean:
	rm -rf .cache tests/output

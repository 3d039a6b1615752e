# mk/pkg.mk - package engine: benchmark and dnf oracle targets.
#
#   make bench-pkg     generate the benchmark repositories (deterministic) and
#                      measure, alternating, with the roots on tmpfs:
#                        install: ours (resolve + install, warm cache) vs
#                          dnf --installroot vs rpm -i --root (the floor)
#                        download over HTTP on 127.0.0.1, throttled to
#                          BENCH_RATE bytes/s per connection (default 20 MB/s,
#                          tests/fixtures/httpd.py): ours vs dnf
#                        70,000-package repository: load + depsolve cold
#                          and warm (.solv cache)
#                      Medians of BENCH_RUNS runs (default 3) and ratios.
#                      BENCH_MB sets the installed size (default 500).
#   make pkg-oracle    only the dnf oracle comparison (80-pkg-oracle.sh)
#
# Not part of `make check` (the oracle test is: tests/integration/).

BENCH_RUNS ?= 3
BENCH_MB   ?= 500
BENCH_RATE ?= 20000000

.PHONY: bench-pkg pkg-oracle

bench-pkg: $(BUILD)/ksc-resolve
	BENCH_RUNS=$(BENCH_RUNS) BENCH_MB=$(BENCH_MB) BENCH_RATE=$(BENCH_RATE) KSC_BUILD=$(abspath $(BUILD)) \
	    KSC_FIXTURES=$(FIXTURES) mk/pkg-bench.sh

pkg-oracle: $(BUILD)/ksc-resolve
	KSC_BUILD=$(abspath $(BUILD)) KSC_FIXTURES=$(FIXTURES) \
	    prove -v tests/integration/80-pkg-oracle.sh

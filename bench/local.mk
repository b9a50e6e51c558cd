# bench/local.mk: load clients for the benchmarks in bench/ (never run by make check).
noinst_PROGRAMS += bench/hub/tollgate-hub-bench
bench_hub_tollgate_hub_bench_SOURCES = bench/hub/hub_bench.c
bench_hub_tollgate_hub_bench_LDADD = $(TG_COMMON_LIBS)
EXTRA_DIST += bench/portal/run bench/portal/portal_bench.py bench/hub/run bench/hub/setup.sh bench/hub/instructions bench/gateway/run bench/gateway/nginx.conf.in bench/README.md

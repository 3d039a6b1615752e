# mk/live.mk - live ISO targets.
#
#   make bench-live   one live build (xz; the fixture distribution plus 500 MB
#                     of real host files as rpms) against its floors: our
#                     squashfs stage vs bare mksquashfs on the same tree and
#                     settings, the ISO stage vs the bare xorriso CLI with the
#                     same arguments, the whole build vs the sum of those
#                     floors and an `rpm -i` of the same packages.
#                     BENCH_COMP=zstd for the fast compressor, BENCH_MB=MB of
#                     content (0: the fixture distribution alone),
#                     BENCH_SIZE=root MiB, BENCH_PEER=command running upstream
#                     livecd-creator for a same-settings comparison.
#                     Needs the xorriso CLI (benchmark only).

.PHONY: bench-live

bench-live: all
	mk/bench-live.sh $(BUILD) $(FIXTURES)

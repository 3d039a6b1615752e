# mk/live.mk - live ISO targets.
#
#   make bench-live   one live build (xz, 1 GiB root by default) against its
#                     floors: our squashfs stage vs bare mksquashfs on the same
#                     tree and settings, the ISO stage vs the bare xorriso CLI
#                     with the same arguments, the whole build vs the sum of
#                     those floors and an `rpm -i` of the same packages.
#                     BENCH_COMP=zstd for the fast compressor, BENCH_SIZE=MiB.
#                     Needs the xorriso CLI (benchmark only).

.PHONY: bench-live

bench-live: all
	mk/bench-live.sh $(BUILD) $(FIXTURES)

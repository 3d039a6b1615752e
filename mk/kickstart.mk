# mk/kickstart.mk - kickstart parser: fuzzing and conformance targets.
#
#   make fuzz            build the libFuzzer target and run it for FUZZ_TIME
#                        seconds (default 600) seeded from the corpus
#   make fuzz-short      the same for FUZZ_SHORT_TIME seconds (default 60);
#                        tests/integration/55-ks-fuzz.sh runs it under prove
#   make ks-conformance  compare ksflatten/ksvalidator with pykickstart's
#                        results on ../shared/kickstart-corpus (if present)
#
# The fuzzer is built with clang (installed by `make deps`) from the
# kickstart sources and the few core files they need, without libcurl
# (-DKS_NO_FETCH: URL includes fail).

FUZZ_CC         ?= clang
FUZZ_TIME       ?= 600
FUZZ_SHORT_TIME ?= 60
FUZZ_DIR        ?= $(BUILD)/fuzz
KS_CORPUS       ?= $(abspath ../shared/kickstart-corpus)
FUZZ_SRCS       := tests/fuzz/fuzz_ks.c $(sort $(wildcard kickstart/*.c)) \
                   $(addprefix core/base/,util.c strv.c strbuf.c log.c cleanup.c)
FUZZ_FLAGS      := -g -O1 -std=gnu17 -Wall -Wextra -Werror -D_FILE_OFFSET_BITS=64 -I. \
                   -DKS_NO_FETCH -fsanitize=fuzzer,address,undefined \
                   -fno-sanitize-recover=undefined -fno-omit-frame-pointer

.PHONY: fuzz fuzz-short fuzz-build ks-conformance

$(FUZZ_DIR)/fuzz_ks: $(FUZZ_SRCS) $(wildcard kickstart/*.h core/base/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $(FUZZ_SRCS)

fuzz-build: $(FUZZ_DIR)/fuzz_ks

# seeds: every corpus kickstart up to 64 KiB, with a leading options byte
$(FUZZ_DIR)/seeds.stamp: $(FUZZ_DIR)/fuzz_ks
	@mkdir -p $(FUZZ_DIR)/seeds $(FUZZ_DIR)/work
	@if [ -d "$(KS_CORPUS)/ks" ]; then \
	    find "$(KS_CORPUS)/ks" -type f -size -64k | while read -r f; do \
	        { printf '\000'; cat "$$f"; } >"$(FUZZ_DIR)/seeds/$$(md5sum <"$$f" | cut -c1-16)"; \
	    done; \
	fi
	@printf '\000lang C\n%%packages\n@core\n%%end\n' >$(FUZZ_DIR)/seeds/minimal
	@touch $@

fuzz: $(FUZZ_DIR)/seeds.stamp
	cd $(FUZZ_DIR) && ./fuzz_ks -max_total_time=$(FUZZ_TIME) -max_len=16384 -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix=$(abspath $(FUZZ_DIR))/ \
	    $(abspath $(FUZZ_DIR))/work $(abspath $(FUZZ_DIR))/seeds

fuzz-short: $(FUZZ_DIR)/seeds.stamp
	cd $(FUZZ_DIR) && ./fuzz_ks -max_total_time=$(FUZZ_SHORT_TIME) -max_len=16384 -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix=$(abspath $(FUZZ_DIR))/ \
	    $(abspath $(FUZZ_DIR))/work $(abspath $(FUZZ_DIR))/seeds

ks-conformance: $(BUILD)/ksflatten $(BUILD)/ksvalidator
	KSC_BUILD=$(abspath $(BUILD)) KSC_SRCDIR=$(abspath .) tests/integration/50-ks-conformance.sh

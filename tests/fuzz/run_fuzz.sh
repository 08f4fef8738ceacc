#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# run_fuzz.sh HARNESS SEED_DIR WORK_DIR: run a libFuzzer harness for
# NTB_FUZZ_SECONDS (default 20) from the committed seeds (read only) plus
# what earlier runs found (WORK_DIR, in the build tree). Prints the
# executions; exit status: the harness's (non-zero on any finding, whose
# reproducer is left in WORK_DIR as crash-*/leak-*/timeout-*).
set -eu
harness=$1; seeds=$2; work=$3
secs=${NTB_FUZZ_SECONDS:-20}
mkdir -p "$work"
cd "$work"
status=0
# a finding exits 1 (libFuzzer's default 77 would read as "skipped").
# -print_funcs=0: naming a newly covered function starts llvm-symbolizer,
# whose two pipes stay open in the harness; the fd-leak check of
# fuzz_vsim_hello then counted them as fds the EP leaked.
"$harness" -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 \
	-error_exitcode=1 -timeout_exitcode=1 -print_funcs=0 \
	-print_final_stats=1 -detect_leaks=0 "$work" "$seeds" \
	>"$work/fuzz.log" 2>&1 || status=$?
grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done|fuzz_)' \
	"$work/fuzz.log" || true
if [ "$status" -ne 0 ]; then
	tail -n 60 "$work/fuzz.log"
fi
exit "$status"

#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# The PMD that is installed (shared object and static archive) carries no
# test-only fault hook of the virtual link (vsim_fault_*): those live in
# the ntb_vsim_fault test library. TAP output.
set -u
b=${NTB_BUILD_DIR:?}/drivers
n=0
fail=0
for f in "$b/librte_raw_ntb_dwedma.so" "$b/librte_raw_ntb_dwedma.a"; do
	n=$((n + 1))
	if [ ! -e "$f" ]; then
		echo "not ok $n - $f exists"
		fail=1
		continue
	fi
	syms=$(nm -A "$f" 2>&1 | grep -E 'vsim_fault_|_fault_(link|engine)')
	if [ -n "$syms" ] || ! nm "$f" >/dev/null 2>&1; then
		echo "not ok $n - no fault hooks in $(basename "$f")"
		echo "$syms" | sed 's/^/# /'
		fail=1
	else
		echo "ok $n - no fault hooks in $(basename "$f")"
	fi
done
n=$((n + 1))
# the test library does have them (the check above can find them)
if nm "$b/libntb_vsim_fault.a" 2>/dev/null | grep -q ' T vsim_fault_kill_link'; then
	echo "ok $n - the test library ntb_vsim_fault has them"
else
	echo "not ok $n - the test library ntb_vsim_fault has them"
	fail=1
fi
echo "1..$n"
exit $fail

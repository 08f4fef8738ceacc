#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# The PMD that is installed (shared object and static archive) carries no
# test-only code: no fault hook of the virtual link (vsim_fault_*, which
# live in the ntb_vsim_fault test library), nothing tests read of the
# interrupt layer (ntb_intr_test) and none of the helpers only
# tests called (now in those libraries, in tests/lib or in the tests, or
# gone). Functions only their own file uses are static: not global in
# the archive. TAP output.
set -u
b=${NTB_BUILD_DIR:?}/drivers
# test-only: no symbol of these names, of any binding
test_only='vsim_fault_[a-z0-9_]*|[a-z0-9_]*_fault_(link|engine)[a-z0-9_]*'
test_only="$test_only|dw_edma_model_irq_level|vntb_rc_mw|vntb_platform_by_name"
test_only="$test_only|vntb_barmap_by_name|vsim_rc_reconnect|vsim_wait_connected"
test_only="$test_only|vsim_role|vsim_ep_force_link|vsim_ep_hold_engine"
test_only="$test_only|vntb_rc_from_ntb_dev"
test_only="$test_only|ntb_intr_peer_desc_valid|ntb_intr_deliver_direct"
# one file's: not global
static_only='vntb_cmd_name'
n=0
fail=0
for f in "$b/librte_raw_ntb_dwedma.so" "$b/librte_raw_ntb_dwedma.a"; do
	n=$((n + 1))
	if [ ! -e "$f" ]; then
		echo "not ok $n - $f exists"
		fail=1
		continue
	fi
	syms=$(nm -A "$f" 2>&1 | grep -E " [A-Za-z] ($test_only)\$")
	if [ -n "$syms" ] || ! nm "$f" >/dev/null 2>&1; then
		echo "not ok $n - no test-only code in $(basename "$f")"
		echo "$syms" | sed 's/^/# /'
		fail=1
	else
		echo "ok $n - no test-only code in $(basename "$f")"
	fi
done
n=$((n + 1))
syms=$(nm -g --defined-only "$b/librte_raw_ntb_dwedma.a" 2>&1 |
	grep -E " [A-Za-z] ($static_only)\$")
if [ -n "$syms" ]; then
	echo "not ok $n - one file's functions are static"
	echo "$syms" | sed 's/^/# /'
	fail=1
else
	echo "ok $n - one file's functions are static"
fi
# the test libraries do have them (the check above can find them)
for lib_sym in ntb_vsim_fault:vsim_fault_kill_link \
	       ntb_intr_test:ntb_intr_deliver_direct; do
	lib=${lib_sym%%:*}
	sym=${lib_sym#*:}
	n=$((n + 1))
	if nm "$b/lib$lib.a" 2>/dev/null | grep -q " T $sym\$"; then
		echo "ok $n - the test library $lib has them"
	else
		echo "not ok $n - the test library $lib has them"
		fail=1
	fi
done
echo "1..$n"
exit $fail

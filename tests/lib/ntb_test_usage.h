/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TEST_USAGE_H
#define NTB_TEST_USAGE_H

/**
 * What a DPDK process holds, to compare before and after a peer came
 * and went: open fds, memzones, /proc/self/maps lines and, among them,
 * mappings of shared memory files (memfd:, a peer's windows).
 *
 * Under AddressSanitizer its allocator maps anonymous regions as the run
 * goes: there only mappings with a name (files, memfds, [stack]...)
 * count in maps. Without it every line counts.
 */

#include <stdbool.h>

struct ntb_test_usage {
	unsigned int fds;
	unsigned int mzs;
	unsigned int maps;
	unsigned int memfd_maps;
};

/** Open fds of this process. */
unsigned int ntb_test_count_fds(void);

/** Is this /proc/self/maps line left out of ntb_test_usage.maps? */
bool ntb_test_maps_ignored(const char *line);

/** Memzones whose name starts with prefix (NULL: all of them). */
unsigned int ntb_test_count_memzones(const char *prefix);

/** Fill u (after rte_eal_init: memzones are counted). */
void ntb_test_usage_get(struct ntb_test_usage *u);

#endif /* NTB_TEST_USAGE_H */

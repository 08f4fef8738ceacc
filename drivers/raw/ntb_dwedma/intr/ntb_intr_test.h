/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_INTR_TEST_H
#define NTB_INTR_TEST_H

/**
 * What tests read of the interrupt layer's state, for tests only:
 * ntb_intr_test.c is built into the static library ntb_intr_test that
 * the tests link, never into the PMD (tests/build/test_no_fault_hooks.sh
 * checks).
 */

#include <stdbool.h>
#include <stdint.h>

#include "ntb_intr.h"

/**
 * True when kicks of qp go through the peer's descriptor (RC dw_edma /
 * msi with a descriptor accepted), false when they ring the doorbell.
 */
bool ntb_intr_peer_desc_valid(struct ntb_intr *it, uint16_t qp);
/** True when queue q's fd is the backend's own (direct path). */
bool ntb_intr_deliver_direct(const struct ntb_intr_deliver *dl, uint16_t q);

#endif /* NTB_INTR_TEST_H */

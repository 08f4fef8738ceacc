/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_INTR_PEER_DESC_H
#define NTB_INTR_PEER_DESC_H

/*
 * The RC's state in intr=dw_edma / msi (ntb_intr_peer_desc.c): the EP's
 * descriptor of each QP. intr/ only, and the test library that looks at
 * it (ntb_intr_test.c).
 */

#include <stdbool.h>
#include <stdint.h>

#include "ntb_bar.h"
#include "ntb_intr.h"

struct ntb_intr_peer_desc {
	uint32_t addr_offset;
	uint32_t data;
	bool valid;		/* atomic: kick reads it without a lock */
};

struct ntb_intr_peer_rc {
	int intr_mw;			/* the peer's interrupt window */
	struct ntb_bar peer_win;
	struct ntb_intr_peer_desc peer[NTB_MAX_DB];
};

#endif /* NTB_INTR_PEER_DESC_H */

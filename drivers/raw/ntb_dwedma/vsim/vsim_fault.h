/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VSIM_FAULT_H
#define VSIM_FAULT_H

/**
 * Fault injection on the virtual link, for tests only: vsim_fault.c is
 * built into the static library ntb_vsim_fault that the tests link, never
 * into the PMD (the shared object and archive that are installed).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

#include "ntb_bar.h"
#include "vsim.h"

/** Close the socket as if the peer died (both sides see EOF). */
int vsim_fault_kill_link(struct vsim *vs);
/** EP: set or clear link_status bit0 and raise RC vector 0. */
int vsim_fault_set_link(struct vsim *vs, bool up);
/** EP: delay every command-handler run by extra_us. */
void vsim_fault_cmd_delay(struct vsim *vs, unsigned int extra_us);
/** EP: hold (true) or release the eDMA engine that runs RC doorbells. */
int vsim_fault_engine_hold(struct vsim *vs, bool hold);
/**
 * EP: after skip more data elements, the eDMA model ABORTs the next
 * count ones (as on a bad source address), whoever programmed them.
 */
int vsim_fault_edma_abort(struct vsim *vs, uint32_t skip, uint32_t count);
/** Store a 32-bit word into a BAR bypassing its trap (corrupt reg). */
void vsim_fault_poke32(const struct ntb_bar *bar, size_t off, uint32_t v);
/** Store a 32-bit word at an IOVA of either side's shared memory. */
int vsim_fault_poke_iova(struct vsim *vs, bool peer, rte_iova_t iova,
			 uint32_t v);

#endif /* VSIM_FAULT_H */

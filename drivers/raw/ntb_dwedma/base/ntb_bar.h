/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_BAR_H
#define NTB_BAR_H

/**
 * Layer 1: register access.
 *
 * A BAR is a mapped range {va, len}. Every read or write of a device
 * register goes through the accessors below, with the barriers DPDK's
 * rte_io.h gives (rte_writeN orders the store after every prior store,
 * rte_readN is ordered before later loads).
 *
 * On hardware `trap` is NULL. The virtual vNTB link sets it on BARs that
 * hold registers whose write has a side effect (doorbell slots, DW eDMA
 * doorbell/interrupt registers): the hook sees every accessor write and
 * returns true if it consumed the write (the model then did what the
 * hardware would do), false to let the plain store happen. A struct
 * ntb_bar may describe a window inside a BAR (va = BAR start + offset),
 * so a trap locates the register from bar->va + off, never from off
 * alone. Nothing else
 * in the driver knows whether it runs on hardware.
 *
 * Bulk data (frames in memory windows) is copied with rte_memcpy into
 * bar->va directly; only register accesses use the accessors.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_io.h>

struct ntb_bar;

/** Side-effect hook of the virtual link; see file comment. */
typedef bool (*ntb_bar_trap_t)(const struct ntb_bar *bar, size_t off,
			       uint64_t val, unsigned int width);

struct ntb_bar {
	uint8_t *va;		/**< CPU mapping of the BAR (or window) */
	size_t len;		/**< length of the mapping in bytes */
	uint64_t bus_addr;	/**< address on the PCI side, 0 if unknown */
	ntb_bar_trap_t trap;	/**< NULL on hardware */
	void *trap_ctx;		/**< owned by whoever set trap */
};

static inline bool
ntb_bar_in_range(const struct ntb_bar *bar, size_t off, size_t width)
{
	return bar->va != NULL && off <= bar->len && width <= bar->len - off;
}

static inline uint32_t
ntb_bar_read32(const struct ntb_bar *bar, size_t off)
{
	return rte_read32(bar->va + off);
}

static inline uint16_t
ntb_bar_read16(const struct ntb_bar *bar, size_t off)
{
	return rte_read16(bar->va + off);
}

static inline uint64_t
ntb_bar_read64(const struct ntb_bar *bar, size_t off)
{
	return rte_read64(bar->va + off);
}

static inline void
ntb_bar_write32(const struct ntb_bar *bar, size_t off, uint32_t val)
{
	if (unlikely(bar->trap != NULL) && bar->trap(bar, off, val, 4))
		return;
	rte_write32(val, bar->va + off);
}

static inline void
ntb_bar_write16(const struct ntb_bar *bar, size_t off, uint16_t val)
{
	if (unlikely(bar->trap != NULL) && bar->trap(bar, off, val, 2))
		return;
	rte_write16(val, bar->va + off);
}

static inline void
ntb_bar_write64(const struct ntb_bar *bar, size_t off, uint64_t val)
{
	if (unlikely(bar->trap != NULL) && bar->trap(bar, off, val, 8))
		return;
	rte_write64(val, bar->va + off);
}

#endif /* NTB_BAR_H */

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef VSIM_PARAMS_INTERNAL_H
#define VSIM_PARAMS_INTERNAL_H

/*
 * Shared by the devargs parser (vsim_params.c), the profiles
 * (vsim_profile.c) and the checks (vsim_params_check.c): the key
 * numbers, whether a key was set, and the error message.
 */

#include <stdbool.h>

#include <rte_common.h>

#include "vsim.h"

/* Index of a key in vsim_params_keys[] and bit of vsim_params.set_mask. */
enum vsim_key {
	K_ROLE, K_LINK, K_PROFILE, K_NUM_MWS,
	K_MW1, K_MW2, K_MW3, K_MW4,
	K_MW1_BAR, K_MW2_BAR, K_MW3_BAR, K_MW4_BAR,
	K_MW1_OFF, K_MW2_OFF, K_MW3_OFF, K_MW4_OFF,
	K_CTRL_BAR, K_DB_BAR, K_SPAD_COUNT, K_DB_COUNT, K_MSI,
	K_BAR0_SIZE, K_BAR1_SIZE, K_BAR2_SIZE, K_BAR3_SIZE, K_BAR4_SIZE,
	K_BAR5_SIZE, K_CMD_PERIOD, K_CONNECT_TIMEOUT,
	K_DMA_NUM_CHANS, K_DMA_BAR, K_DMA_OFFSET, K_COUNT,
};

static inline bool
is_set(const struct vsim_params *p, enum vsim_key k)
{
	return (p->set_mask & RTE_BIT64(k)) != 0;
}

/* vsim_params.c: p->err from fmt; returns -EINVAL. */
int vsim_params_fail(struct vsim_params *p, const char *fmt, ...)
	__rte_format_printf(2, 3);

/*
 * vsim_profile.c: the board row of p's profile, and its defaults for
 * every key that was not set.
 */
const struct vntb_platform *vsim_profile_defaults(struct vsim_params *p);

#endif /* VSIM_PARAMS_INTERNAL_H */

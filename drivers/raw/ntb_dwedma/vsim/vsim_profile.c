/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Emulation profiles of the virtual EP: the board row each one is, the
 * doorbell area it claims, and the values it gives every devarg that was
 * not set.
 */

#include "vsim_params_internal.h"
#include "vsim_priv.h"

/*
 * Emulation profiles. The board - PCI IDs, BAR map, EPC limits, the
 * configfs values its kernel setup uses - is a row of the board table
 * (vntb/vntb_platform_rows.h), named by its index; a profile adds only
 * what the emulated EP decides: its number on the link (enum
 * vsim_profile, in the EP's hello) and the doorbell area it claims in
 * the DB BAR (a page, or the whole of a fixed-size BAR).
 */
struct vsim_profile_def {
	enum vntb_platform_index platform;
	uint64_t db_win_size;
};

static const struct vsim_profile_def vsim_profiles[VSIM_PROFILE_COUNT] = {
	[VSIM_PROFILE_RCAR_S4] = { VNTB_PLATFORM_RCAR_S4, 256 },
	[VSIM_PROFILE_MX8] = { VNTB_PLATFORM_MX8, VSIM_PAGE_SIZE },
	[VSIM_PROFILE_J721E] = { VNTB_PLATFORM_J721E, VSIM_PAGE_SIZE },
};

static const struct vntb_platform *
profile_platform(enum vsim_profile prof)
{
	return &vntb_platforms[vsim_profiles[prof].platform];
}

const char *
vsim_profile_name(enum vsim_profile prof)
{
	return (unsigned int)prof < VSIM_PROFILE_COUNT ?
		profile_platform(prof)->map.name : "?";
}

static void
apply_profile(struct vsim_params *p, const struct vntb_platform *d,
	      const struct vsim_profile_def *prof)
{
	unsigned int i;

	if (!is_set(p, K_NUM_MWS))
		p->num_mws = d->def.num_mws;
	for (i = 0; i < NTB_MAX_MW; i++) {
		if (!is_set(p, K_MW1 + i))
			p->mw_size[i] = d->def.mw_size[i];
		if (!is_set(p, K_MW1_BAR + i))
			p->mw_bar[i] = vntb_barmap_mw_bar(&d->map, i);
		if (!is_set(p, K_MW1_OFF + i))
			p->mw_offset[i] = d->def.mw_offset[i];
	}
	if (!is_set(p, K_CTRL_BAR))
		p->ctrl_bar = d->map.bar[VNTB_BAR_CONFIG];
	if (!is_set(p, K_DB_BAR))
		p->db_bar = d->map.bar[VNTB_BAR_DB];
	if (!is_set(p, K_SPAD_COUNT))
		p->spad_count = d->def.spad_count;
	if (!is_set(p, K_DB_COUNT))
		p->db_count = d->def.db_count;
	if (!is_set(p, K_MSI))
		p->msi_interrupts = d->def.msi_interrupts;
	p->platform = d;
	p->db_win_size = prof->db_win_size;
}

const struct vntb_platform *
vsim_profile_defaults(struct vsim_params *p)
{
	const struct vntb_platform *d = profile_platform(p->profile);

	apply_profile(p, d, &vsim_profiles[p->profile]);
	return d;
}

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * vsim_params_validate: the profile's defaults, then the checks vNTB and
 * the DWC iATU apply to BAR subranges (windows sorted by offset tile
 * their BAR from 0 without gap or overlap, offsets aligned to the 4 KiB
 * iATU alignment, nothing past the BAR end, BAR sizes powers of two,
 * R-Car S4 BAR restrictions), and the layout they resolve to: control
 * region version and size, scratchpad offset, BAR lengths, the DMA
 * export slice. vsim_params_ep_layout hands that layout to the vNTB EP
 * function.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "pci_ep_dma_abi.h"
#include "vntb_ctrl.h"
#include "vsim_params_internal.h"
#include "vsim_priv.h"

#define VSIM_IATU_ALIGN		4096u
#define VSIM_SPAD_MIN		6	/* transport needs 4 + 2 per MW */
#define VSIM_SPAD_MAX		1024
#define VSIM_DB_MIN		3	/* link + reserved + one doorbell */
#define VSIM_MW_MAX_SIZE	(1ull << 32)	/* v1 mw_size is a u32 */

static int
check_bar_number(struct vsim_params *p, const struct vntb_platform *d,
		 const char *key, int bar, int expect)
{
	if (bar < 0 || bar >= VNTB_PCI_BARS)
		return vsim_params_fail(p, "%s: BAR %d out of 0..5", key, bar);
	if (d->unusable_bars & RTE_BIT32(bar))
		return vsim_params_fail(p,
			"%s: BAR%d is the upper half of a 64-bit BAR on %s",
			key, bar, d->map.name);
	if (expect >= 0 && bar != expect)
		return vsim_params_fail(p,
			"%s: BAR%d does not match the %s ntb_hw_epf BAR map (BAR%d)",
			key, bar, d->map.name, expect);
	return 0;
}

struct vsim_win_chk {
	const char *key;	/* key that names the window's offset */
	const char *size_key;
	uint64_t off, size;
};

static uint64_t
pow2_ceil(uint64_t v)
{
	uint64_t r = 1;

	while (r < v)
		r <<= 1;
	return r;
}

/* Windows of one BAR: tile from 0, no gap/overlap, fit the BAR. */
static int
check_bar_windows(struct vsim_params *p, const struct vntb_platform *d,
		  int bar, struct vsim_win_chk *w, unsigned int n)
{
	char key[16];
	uint64_t end = 0, len;
	unsigned int i, j;

	/* insertion sort by offset: at most 5 windows */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && w[j].off < w[j - 1].off; j--) {
			struct vsim_win_chk t = w[j];

			w[j] = w[j - 1];
			w[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (w[i].off > end)
			return vsim_params_fail(p,
				"%s: gap in BAR%d before offset 0x%" PRIx64
				" (windows must tile the BAR from 0)",
				w[i].key, bar, w[i].off);
		if (w[i].off < end)
			return vsim_params_fail(p,
				"%s: window at 0x%" PRIx64 " overlaps the previous window in BAR%d (ends at 0x%" PRIx64 ")",
				w[i].key, w[i].off, bar, end);
		end = w[i].off + w[i].size;
	}
	snprintf(key, sizeof(key), "bar%d_size", bar);
	len = p->bar_size[bar];
	if (d->fixed_bar_size[bar] != 0) {
		if (len != 0 && len != d->fixed_bar_size[bar])
			return vsim_params_fail(p,
				"%s: BAR%d is fixed at %" PRIu64 " bytes on %s",
				key, bar, d->fixed_bar_size[bar], d->map.name);
		len = d->fixed_bar_size[bar];
	} else if (len != 0 && !rte_is_power_of_2(len)) {
		return vsim_params_fail(p, "%s: 0x%" PRIx64
			" is not a power of two", key, len);
	} else if (len == 0) {
		len = RTE_MAX(pow2_ceil(end), (uint64_t)VSIM_PAGE_SIZE);
	}
	if (end > len)
		return vsim_params_fail(p,
			"%s: window [0x%" PRIx64 ",0x%" PRIx64
			") goes past the end of BAR%d (0x%" PRIx64 " bytes)",
			w[n - 1].size_key, w[n - 1].off, end, bar, len);
	p->bar_len[bar] = len;
	return 0;
}

static const char *const mw_key[] = { "mw1", "mw2", "mw3", "mw4" };
static const char *const mw_off_key[] = {
	"mw1_offset", "mw2_offset", "mw3_offset", "mw4_offset" };
static const char *const mw_bar_key[] = {
	"mw1_bar", "mw2_bar", "mw3_bar", "mw4_bar" };

static int
check_windows(struct vsim_params *p, const struct vntb_platform *d)
{
	struct vsim_win_chk w[NTB_MAX_MW + 2];
	unsigned int i, n;
	int bar, rc;
	uint64_t len;
	int peer_spad = p->platform->map.bar[VNTB_BAR_PEER_SPAD];

	for (bar = 0; bar < VNTB_PCI_BARS; bar++) {
		if (bar == p->ctrl_bar || (bar == peer_spad && bar != p->db_bar))
			continue;
		n = 0;
		if (bar == p->db_bar)
			w[n++] = (struct vsim_win_chk){ "db_bar", "db_bar", 0,
							 p->db_win_size };
		for (i = 0; i < p->num_mws; i++)
			if (p->mw_bar[i] == bar)
				w[n++] = (struct vsim_win_chk){ mw_off_key[i],
					mw_key[i], p->mw_offset[i],
					p->mw_size[i] };
		if (p->dma_num_chans > 0 && p->dma_bar == bar)
			w[n++] = (struct vsim_win_chk){ "dma_offset",
				"dma_num_chans", p->dma_offset, p->dma_size };
		if (n == 0)
			continue;
		rc = check_bar_windows(p, d, bar, w, n);
		if (rc < 0)
			return rc;
	}
	/* ctrl BAR: ctrl region + both scratchpad halves, page rounded */
	len = p->bar_size[p->ctrl_bar];
	if (len == 0)
		len = pow2_ceil(RTE_ALIGN_CEIL(p->ctrl_size, VSIM_PAGE_SIZE));
	else if (!rte_is_power_of_2(len) || len < p->ctrl_size)
		return vsim_params_fail(p,
			"bar%d_size: 0x%" PRIx64 " is not a power of two >= the ctrl region (0x%" PRIx64 ")",
			p->ctrl_bar, len, p->ctrl_size);
	p->bar_len[p->ctrl_bar] = len;
	if (vsim_params_peer_spad_bar(p) >= 0) {
		/* the EP's own scratchpads only, from offset 0 */
		int ps = vsim_params_peer_spad_bar(p);

		len = p->bar_size[ps];
		if (len == 0)
			len = pow2_ceil(RTE_ALIGN_CEIL(4ull * p->spad_count,
						       VSIM_PAGE_SIZE));
		else if (!rte_is_power_of_2(len) ||
			 len < (uint64_t)4 * p->spad_count)
			return vsim_params_fail(p,
				"bar%d_size: 0x%" PRIx64 " is not a power of two >= the EP's scratchpads (0x%" PRIx64 ")",
				ps, len, (uint64_t)4 * p->spad_count);
		p->bar_len[ps] = len;
	}
	return 0;
}

int
vsim_params_peer_spad_bar(const struct vsim_params *p)
{
	int ps = p->platform->map.bar[VNTB_BAR_PEER_SPAD];

	return ps >= 0 && ps != p->ctrl_bar ? ps : VNTB_NO_BAR;
}

/*
 * DMA export (Mar-2026 vNTB configfs dma_bar/dma_offset/dma_num_chans):
 * the slice is laid out as pci_epf_alloc_dma() does when the register
 * block is not BAR-backed (pci_ep_dma_abi.h). By default it follows the
 * last window of MW1's BAR, as in the series' R-Car example.
 */
static int
check_dma(struct vsim_params *p)
{
	unsigned int i;
	uint64_t end = 0;

	p->dma_size = 0;
	if (p->dma_num_chans == 0)
		return 0;
	if (!is_set(p, K_DMA_BAR))
		p->dma_bar = p->mw_bar[0];
	if (p->dma_bar < 0 || p->dma_bar >= VNTB_PCI_BARS)
		return vsim_params_fail(p, "dma_bar: BAR %d out of 0..5",
					p->dma_bar);
	if (p->dma_bar == p->ctrl_bar ||
	    p->dma_bar == vsim_params_peer_spad_bar(p))
		return vsim_params_fail(p,
			"dma_bar: BAR%d already holds the ctrl region or scratchpads",
			p->dma_bar);
	if (p->platform->unusable_bars & RTE_BIT32(p->dma_bar))
		return vsim_params_fail(p,
			"dma_bar: BAR%d is the upper half of a 64-bit BAR",
			p->dma_bar);
	if (!is_set(p, K_DMA_OFFSET)) {
		if (p->dma_bar == p->db_bar)
			end = p->db_win_size;
		for (i = 0; i < p->num_mws; i++)
			if (p->mw_bar[i] == p->dma_bar)
				end = RTE_MAX(end, p->mw_offset[i] +
					      p->mw_size[i]);
		p->dma_offset = RTE_ALIGN_CEIL(end, VSIM_IATU_ALIGN);
	}
	if (p->dma_offset % VSIM_IATU_ALIGN != 0 ||
	    p->dma_offset > UINT32_MAX)
		return vsim_params_fail(p,
			"dma_offset: 0x%" PRIx64 " not aligned to 0x%x or above 4 GiB",
			p->dma_offset, VSIM_IATU_ALIGN);
	p->dma_size = VSIM_DMA_SLICE_SIZE(p->dma_num_chans);
	return 0;
}

int
vsim_params_validate(struct vsim_params *p)
{
	const struct vntb_platform *d;
	unsigned int i, j;
	bool shared = false;
	int rc;

	p->err[0] = '\0';
	if (p->role == VSIM_ROLE_NONE)
		return vsim_params_fail(p, "role: missing (role=ep|rc)");
	if (p->link[0] == '\0')
		return vsim_params_fail(p,
			"link: missing (link=<unix socket path>)");
	if ((unsigned int)p->profile >= VSIM_PROFILE_COUNT)
		return vsim_params_fail(p, "profile: unknown profile");
	d = vsim_profile_defaults(p);
	memset(p->bar_len, 0, sizeof(p->bar_len));

	if (p->num_mws < 1 || p->num_mws > NTB_MAX_MW)
		return vsim_params_fail(p, "num_mws: %u out of 1..4",
					p->num_mws);
	if (p->spad_count < VSIM_SPAD_MIN || p->spad_count > VSIM_SPAD_MAX)
		return vsim_params_fail(p, "spad_count: %u out of %u..%u",
			p->spad_count, VSIM_SPAD_MIN, VSIM_SPAD_MAX);
	if (p->db_count < VSIM_DB_MIN || p->db_count > NTB_MAX_DB)
		return vsim_params_fail(p, "db_count: %u out of %u..%u",
			p->db_count, VSIM_DB_MIN, NTB_MAX_DB);
	if (p->msi_interrupts < p->db_count ||
	    p->msi_interrupts > VSIM_MAX_MSI)
		return vsim_params_fail(p,
			"msi_interrupts: %u out of db_count(%u)..%u",
			p->msi_interrupts, p->db_count, VSIM_MAX_MSI);
	if (p->cmd_period_us == 0)
		return vsim_params_fail(p, "cmd_period_us: must be > 0");

	rc = check_bar_number(p, d, "ctrl_bar", p->ctrl_bar,
			      p->platform->map.bar[VNTB_BAR_CONFIG]);
	if (rc == 0)
		rc = check_bar_number(p, d, "db_bar", p->db_bar,
				      p->platform->map.bar[VNTB_BAR_DB]);
	if (rc < 0)
		return rc;
	for (i = 0; i < p->num_mws; i++) {
		int expect = p->platform->map.bar[VNTB_BAR_MW1 + i];

		if (expect < 0)
			return vsim_params_fail(p,
				"num_mws: %u windows but the %s ntb_hw_epf BAR map has only %u",
				p->num_mws, d->map.name, i);
		rc = check_bar_number(p, d, mw_bar_key[i], p->mw_bar[i],
				      expect);
		if (rc < 0)
			return rc;
		if (p->mw_size[i] == 0 || p->mw_size[i] > VSIM_MW_MAX_SIZE)
			return vsim_params_fail(p,
				"%s: size 0x%" PRIx64 " out of 1..4 GiB",
				mw_key[i], p->mw_size[i]);
		if (p->mw_offset[i] % VSIM_IATU_ALIGN != 0)
			return vsim_params_fail(p,
				"%s: 0x%" PRIx64 " not aligned to the iATU alignment (0x%x)",
				mw_off_key[i], p->mw_offset[i],
				VSIM_IATU_ALIGN);
		if (p->mw_bar[i] == p->ctrl_bar)
			return vsim_params_fail(p,
				"%s: BAR%d already holds the ctrl region",
				mw_bar_key[i], p->mw_bar[i]);
		for (j = 0; j < i; j++)
			if (p->mw_bar[j] == p->mw_bar[i])
				shared = true;
		if (i > 0 && p->mw_offset[i] != 0)
			shared = true;
	}
	if (p->db_bar == p->ctrl_bar)
		return vsim_params_fail(p,
			"db_bar: BAR%d already holds the ctrl region", p->db_bar);

	rc = check_dma(p);
	if (rc < 0)
		return rc;

	/* Mar-2026 vNTB: legacy block unless MWs share a BAR or DMA export */
	if (p->dma_num_chans > 0)
		shared = true;
	p->ctrl_version = shared ? VNTB_CTRL_VERSION_V1 :
		VNTB_CTRL_VERSION_LEGACY;
	p->spad_offset = p->dma_num_chans > 0 ? VNTB_CTRL_V1_DMA_SIZE :
		shared ? VNTB_CTRL_V1_SIZE : VNTB_CTRL_LEGACY_SIZE;
	if (vsim_params_peer_spad_bar(p) >= 0) {
		/*
		 * ntb_hw_epf reads the EP's scratchpads (the second half)
		 * from offset 0 of the peer-spad BAR. An inbound BAR maps
		 * whole pages: the second half must start on a page, so
		 * the area moves up (spad_offset is published, the RC
		 * follows it).
		 */
		uint64_t area = 4ull * p->spad_count;

		p->spad_offset = (uint32_t)(RTE_ALIGN_CEIL(p->spad_offset +
			area, VSIM_PAGE_SIZE) - area);
	}
	p->ctrl_size = p->spad_offset + 2ull * p->spad_count * 4;
	return check_windows(p, d);
}

/*
 * The vNTB function's layout for these params (pci-epf-vntb's configfs
 * attributes): what the EP binds with, and what a waiting RC expects its
 * EP to show (vntb_ep_ctrl_image). The memory fields stay unset.
 */
void
vsim_params_ep_layout(const struct vsim_params *p, struct vntb_ep_config *cfg)
{
	unsigned int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->name = p->name;
	cfg->ctrl_len = p->ctrl_size;
	cfg->version = p->ctrl_version;
	cfg->num_mws = p->num_mws;
	for (i = 0; i < p->num_mws && i < NTB_MAX_MW; i++) {
		cfg->mw_offset[i] = p->mw_offset[i];
		cfg->mw_size[i] = p->mw_size[i];
	}
	cfg->spad_offset = p->spad_offset;
	cfg->spad_count = p->spad_count;
	cfg->db_count = p->db_count;
	cfg->db_entry_size = VSIM_DB_ENTRY_SIZE;
	cfg->link_fd = -1;
}

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * RC init: read the ctrl region the EP published, check every value
 * against the BARs, build struct ntb_dev, send CONFIGURE_DOORBELL.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntb_dwedma_log.h"
#include "vntb_rc_internal.h"

/* the v1 ctrl block's mw_offset[]/mw_size[] hold one entry per MW */
_Static_assert(VNTB_CTRL_MW_SIZE(0) - VNTB_CTRL_MW_OFFSET(0) ==
	       4 * NTB_MAX_MW, "ctrl v1 MW arrays and NTB_MAX_MW");

static const struct ntb_bar *
vntb_rc_role_bar(struct vntb_rc *rc, enum vntb_bar_role role,
		 const char *what)
{
	int b = rc->map->bar[role];

	if (b < 0 || b >= VNTB_PCI_BARS) {
		NTB_LOG(ERR, "%s: map %s gives the %s no BAR",
			rc->name, rc->map->name, what);
		return NULL;
	}
	if (rc->bars[b].va == NULL || rc->bars[b].len == 0) {
		NTB_LOG(ERR, "%s: BAR%d (%s in map %s) is not mapped",
			rc->name, b, what, rc->map->name);
		return NULL;
	}
	return &rc->bars[b];
}

static int
vntb_rc_parse_mws(struct vntb_rc *rc)
{
	const struct ntb_bar *ctrl = rc->ctrl;
	unsigned int i, j;

	rc->num_mws = ntb_bar_read32(ctrl, VNTB_CTRL_NUM_MWS);
	if (rc->num_mws < 1 || rc->num_mws > NTB_MAX_MW) {
		NTB_LOG(ERR, "%s: ctrl num_mws %u out of range 1..%u",
			rc->name, rc->num_mws, NTB_MAX_MW);
		return -EINVAL;
	}

	for (i = 0; i < rc->num_mws; i++) {
		struct vntb_rc_mw *mw = &rc->mw[i];
		int b = vntb_barmap_mw_bar(rc->map, i);
		size_t bar_len;

		if (b < 0 || b >= VNTB_PCI_BARS) {
			NTB_LOG(ERR, "%s: EP has %u MWs but map %s has no BAR for MW%u",
				rc->name, rc->num_mws, rc->map->name, i + 1);
			return -EINVAL;
		}
		if (rc->bars[b].va == NULL || rc->bars[b].len == 0) {
			NTB_LOG(ERR, "%s: BAR%d of MW%u is not mapped",
				rc->name, b, i + 1);
			return -EINVAL;
		}
		bar_len = rc->bars[b].len;
		mw->bar = (unsigned int)b;

		if (rc->version == VNTB_CTRL_VERSION_LEGACY) {
			/* legacy: only MW1 has an offset; size = rest of BAR */
			mw->offset = i == 0 ?
				ntb_bar_read32(ctrl, VNTB_CTRL_MW1_OFFSET) : 0;
			if (mw->offset >= bar_len) {
				NTB_LOG(ERR, "%s: ctrl mw1_offset %#" PRIx64 " is past the end of BAR%d (%zu bytes)",
					rc->name, mw->offset, b, bar_len);
				return -EINVAL;
			}
			mw->size = bar_len - mw->offset;
		} else {
			mw->offset = ntb_bar_read32(ctrl, VNTB_CTRL_MW_OFFSET(i));
			mw->size = ntb_bar_read32(ctrl, VNTB_CTRL_MW_SIZE(i));
			if (mw->size == 0) {
				NTB_LOG(ERR, "%s: ctrl mw_size[%u] is 0",
					rc->name, i);
				return -EINVAL;
			}
			if (mw->offset + mw->size > bar_len) {
				NTB_LOG(ERR, "%s: MW%u [%#" PRIx64 ", %#" PRIx64 ") (ctrl mw_offset[%u]/mw_size[%u]) ends past BAR%d (%zu bytes)",
					rc->name, i + 1, mw->offset,
					mw->offset + mw->size, i, i, b,
					bar_len);
				return -EINVAL;
			}
		}
		if (mw->offset % VNTB_MW_ALIGN != 0) {
			NTB_LOG(ERR, "%s: MW%u offset %#" PRIx64 " in BAR%d is not %u-byte aligned",
				rc->name, i + 1, mw->offset, b, VNTB_MW_ALIGN);
			return -EINVAL;
		}
		/* windows sharing a BAR must not overlap */
		for (j = 0; j < i; j++) {
			const struct vntb_rc_mw *o = &rc->mw[j];

			if (o->bar != mw->bar)
				continue;
			if (mw->offset < o->offset + o->size &&
			    o->offset < mw->offset + mw->size) {
				NTB_LOG(ERR, "%s: MW%u [%#" PRIx64 ", %#" PRIx64 ") overlaps MW%u in BAR%d%s",
					rc->name, i + 1, mw->offset,
					mw->offset + mw->size, j + 1, b,
					rc->version == VNTB_CTRL_VERSION_LEGACY ?
					": a shared BAR needs the v1 ctrl layout (mw_offset/mw_size)" :
					"");
				return -EINVAL;
			}
		}
	}
	return 0;
}

static int
vntb_rc_parse_spads(struct vntb_rc *rc)
{
	const struct ntb_bar *ctrl = rc->ctrl;
	const struct ntb_bar *pbar;
	uint64_t hdr, self_end, area;

	rc->spad_offset = ntb_bar_read32(ctrl, VNTB_CTRL_SPAD_OFFSET);
	rc->spad_count = ntb_bar_read32(ctrl, VNTB_CTRL_SPAD_COUNT);
	hdr = rc->version == VNTB_CTRL_VERSION_LEGACY ?
		VNTB_CTRL_LEGACY_SIZE : VNTB_CTRL_V1_SIZE;
	area = 4 * (uint64_t)rc->spad_count;

	/* below the header, a spad write would overwrite a ctrl field */
	if (rc->spad_offset < hdr || rc->spad_offset % 4 != 0) {
		NTB_LOG(ERR, "%s: ctrl spad_offset %#x must be 4-byte aligned and >= %#" PRIx64,
			rc->name, rc->spad_offset, hdr);
		return -EINVAL;
	}
	self_end = rc->spad_offset + area;

	pbar = vntb_rc_role_bar(rc, VNTB_BAR_PEER_SPAD, "peer scratchpads");
	if (pbar == NULL)
		return -EINVAL;
	if (pbar == ctrl) {
		/* both halves in the ctrl BAR: ours first, the EP's after */
		if (self_end + area > ctrl->len) {
			NTB_LOG(ERR, "%s: scratchpads (ctrl spad_offset %#x, spad_count %u: %#" PRIx64 " bytes) end past the ctrl BAR (%zu bytes)",
				rc->name, rc->spad_offset, rc->spad_count,
				2 * area, ctrl->len);
			return -EINVAL;
		}
		rc->peer_spad = *ctrl;
		rc->peer_spad.va = ctrl->va + self_end;
		if (ctrl->bus_addr != 0)
			rc->peer_spad.bus_addr = ctrl->bus_addr + self_end;
	} else {
		if (self_end > ctrl->len || area > pbar->len) {
			NTB_LOG(ERR, "%s: scratchpads (ctrl spad_offset %#x, spad_count %u) do not fit the ctrl BAR (%zu bytes) / peer spad BAR (%zu bytes)",
				rc->name, rc->spad_offset, rc->spad_count,
				ctrl->len, pbar->len);
			return -EINVAL;
		}
		rc->peer_spad = *pbar;
	}
	rc->peer_spad.len = area;
	return 0;
}

static bool
vntb_rc_slot_in_mw(const struct vntb_rc *rc, unsigned int db_bar,
		   uint64_t off)
{
	unsigned int i;

	for (i = 0; i < rc->num_mws; i++) {
		const struct vntb_rc_mw *mw = &rc->mw[i];

		if (mw->bar == db_bar && off + 4 > mw->offset &&
		    off < mw->offset + mw->size)
			return true;
	}
	return false;
}

static int
vntb_rc_parse_doorbells(struct vntb_rc *rc)
{
	const struct ntb_bar *ctrl = rc->ctrl;
	unsigned int n, usable;
	uint32_t entry;

	rc->db = vntb_rc_role_bar(rc, VNTB_BAR_DB, "doorbells");
	if (rc->db == NULL)
		return -EINVAL;
	entry = ntb_bar_read32(ctrl, VNTB_CTRL_DB_ENTRY_SIZE);

	/* ntb_hw_epf rings slot n = k + 2 for n <= db_count (nb_msi - 1) */
	rc->db_count = rc->nb_msi - 1;
	for (n = VNTB_DB_SLOT_OFFSET; n <= rc->db_count; n++) {
		uint32_t doff = ntb_bar_read32(ctrl, VNTB_CTRL_DB_OFFSET(n));
		uint64_t off = (uint64_t)entry * n + doff;

		if (off % 4 != 0 || off + 4 > rc->db->len ||
		    vntb_rc_slot_in_mw(rc, (unsigned int)rc->map->bar[VNTB_BAR_DB],
				       off)) {
			if (n == VNTB_DB_SLOT_OFFSET) {
				NTB_LOG(ERR, "%s: doorbell slot %u at %#" PRIx64 " (ctrl db_entry_size %u, db_offset[%u] %#x) is unaligned, inside a MW or past the DB BAR (%zu bytes)",
					rc->name, n, off, entry, n, doff,
					rc->db->len);
				return -EINVAL;
			}
			NTB_LOG(WARNING, "%s: doorbell slot %u at %#" PRIx64 " (ctrl db_entry_size %u, db_offset[%u] %#x) is unusable: %u doorbells instead of %u",
				rc->name, n, off, entry, n, doff,
				n - VNTB_DB_SLOT_OFFSET,
				rc->db_count - 1);
			break;
		}
		rc->db_slot_off[n] = (size_t)off;
		rc->db_slot_data[n] = ntb_bar_read32(ctrl, VNTB_CTRL_DB_DATA(n));
	}
	usable = n - VNTB_DB_SLOT_OFFSET;
	rc->nd.db_count = usable;
	rc->nd.db_valid_mask = usable >= 64 ? UINT64_MAX :
		(UINT64_C(1) << usable) - 1;
	return 0;
}

static void
vntb_rc_setup_fds(struct vntb_rc *rc, const int *fds)
{
	unsigned int v, k;

	for (v = 0; v < RTE_DIM(rc->msi_fds); v++) {
		rc->msi_fds[v] = -1;
		if (fds == NULL || v >= rc->nb_msi || fds[v] < 0)
			continue;
		rc->msi_fds[v] = fds[v];
		/* db_read and rx_ack drain them: reads must never block */
		int fl = fcntl(fds[v], F_GETFL);
		if (fl >= 0 && !(fl & O_NONBLOCK))
			fcntl(fds[v], F_SETFL, fl | O_NONBLOCK);
	}
	rc->nd.link_fd = rc->msi_fds[VNTB_MSI_LINK_VECTOR];
	for (k = 0; k < NTB_MAX_DB; k++)
		rc->nd.db_fd[k] = k < rc->nd.db_count ?
			rc->msi_fds[k + VNTB_DB_SLOT_OFFSET] : -1;
}

/*
 * Mar-2026 vNTB DMA export: the locator follows mw_size[] in a v1 block
 * whose scratchpads start after it. Copied once; the dmadev checks the
 * values against the BARs before it uses them.
 */
static void
vntb_rc_parse_dma(struct vntb_rc *rc)
{
	const struct ntb_bar *ctrl = rc->ctrl;

	memset(&rc->dma, 0, sizeof(rc->dma));
	if (rc->version != VNTB_CTRL_VERSION_V1 ||
	    rc->spad_offset < VNTB_CTRL_V1_DMA_SIZE ||
	    ctrl->len < VNTB_CTRL_V1_DMA_SIZE)
		return;
	rc->dma.abi = ntb_bar_read32(ctrl, VNTB_CTRL_DMA_ABI);
	if (rc->dma.abi == VNTB_DMA_ABI_NONE)
		return;
	rc->dma.bar = ntb_bar_read32(ctrl, VNTB_CTRL_DMA_BAR);
	rc->dma.offset = ntb_bar_read32(ctrl, VNTB_CTRL_DMA_OFFSET);
	rc->dma.size = ntb_bar_read32(ctrl, VNTB_CTRL_DMA_SIZE);
	rc->dma.num_chans = ntb_bar_read32(ctrl, VNTB_CTRL_DMA_NUM_CHANS);
	NTB_LOG(INFO, "%s: EP exports DMA ABI %u in BAR%u at %#x (%#x bytes, %u channel(s))",
		rc->name, rc->dma.abi, rc->dma.bar, rc->dma.offset,
		rc->dma.size, rc->dma.num_chans);
}

int
vntb_rc_init(struct vntb_rc *rc, const struct vntb_rc_params *p)
{
	uint32_t arg;
	int ret;

	if (rc == NULL || p == NULL || p->bars == NULL || p->map == NULL) {
		NTB_LOG(ERR, "vNTB RC: missing device, BARs or BAR map");
		return -EINVAL;
	}
	memset(rc, 0, sizeof(*rc));
	snprintf(rc->name, sizeof(rc->name), "%s",
		 p->name != NULL ? p->name : "vntb");
	if (p->nb_msi < VNTB_RC_MIN_VECTORS || p->nb_msi > VNTB_RC_MAX_VECTORS) {
		NTB_LOG(ERR, "%s: %u MSI vectors, need %u..%u (link, reserved, doorbells)",
			rc->name, p->nb_msi, VNTB_RC_MIN_VECTORS,
			VNTB_RC_MAX_VECTORS);
		return -EINVAL;
	}
	memcpy(rc->bars, p->bars, sizeof(rc->bars));
	rc->map = p->map;
	rc->nb_msi = p->nb_msi;
	rc->msix = p->msix;
	rc->cmd_timeout_us = p->cmd_timeout_us != 0 ?
		p->cmd_timeout_us : VNTB_CMD_TIMEOUT_US;
	rc->wait_ep = p->wait_ep;
	rc->liveness_ms = p->liveness_ms;

	rc->ctrl = vntb_rc_role_bar(rc, VNTB_BAR_CONFIG, "ctrl region");
	if (rc->ctrl == NULL)
		return -EINVAL;
	if (rc->ctrl->len < VNTB_CTRL_LEGACY_SIZE) {
		NTB_LOG(ERR, "%s: ctrl BAR is %zu bytes, smaller than the ctrl region (%#x)",
			rc->name, rc->ctrl->len, VNTB_CTRL_LEGACY_SIZE);
		return -EINVAL;
	}
	rc->version = ntb_bar_read32(rc->ctrl, VNTB_CTRL_VERSION);
	if (rc->version != VNTB_CTRL_VERSION_LEGACY &&
	    rc->version != VNTB_CTRL_VERSION_V1) {
		NTB_LOG(ERR, "%s: ctrl version %u (offset 0x0C) not supported: 0 (legacy) or 1 (v1)",
			rc->name, rc->version);
		return -EINVAL;
	}
	if (rc->version == VNTB_CTRL_VERSION_V1 &&
	    rc->ctrl->len < VNTB_CTRL_V1_SIZE) {
		NTB_LOG(ERR, "%s: ctrl BAR is %zu bytes, smaller than the v1 ctrl region (%#x)",
			rc->name, rc->ctrl->len, VNTB_CTRL_V1_SIZE);
		return -EINVAL;
	}

	ret = vntb_rc_parse_mws(rc);
	if (ret == 0)
		ret = vntb_rc_parse_spads(rc);
	if (ret == 0)
		ret = vntb_rc_parse_doorbells(rc);
	if (ret != 0)
		return ret;
	vntb_rc_parse_dma(rc);

	rc->nd.ops = &vntb_rc_ops;
	rc->nd.name = rc->name;
	rc->nd.mw_count = rc->num_mws;
	rc->nd.spad_count = RTE_MIN(rc->spad_count, VNTB_MAX_SPADS_USED);
	if (rc->spad_count > VNTB_MAX_SPADS_USED)
		NTB_LOG(NOTICE, "%s: EP offers %u scratchpads, using the first %u",
			rc->name, rc->spad_count, VNTB_MAX_SPADS_USED);
	rc->nd.priv = rc;
	vntb_rc_setup_fds(rc, p->msi_fds);
	__atomic_store_n(&rc->db_val, 0, __ATOMIC_RELAXED);
	pthread_mutex_init(&rc->cmd_lock, NULL);

	if (p->ep_absent) {
		rc->peer_gone = true;
		rc->initialised = true;
		NTB_LOG(NOTICE, "%s: vNTB layout expected: ctrl v%u, map %s, %u MW(s), %u spads, %u doorbells; waiting for the EP",
			rc->name, rc->version, rc->map->name, rc->num_mws,
			rc->spad_count, rc->nd.db_count);
		return 0;
	}
	arg = (p->msix ? VNTB_MSIX_ENABLE : 0) | rc->nb_msi;
	ret = vntb_rc_send_command(rc, VNTB_CMD_CONFIGURE_DOORBELL, arg);
	if (ret == -ETIMEDOUT && p->wait_ep) {
		/* posted still: vntb_rc_live_tick sees the EP's answer */
		rc->lost_up = false;
		rc->initialised = true;
		NTB_LOG(NOTICE, "%s: vNTB ctrl v%u, map %s, %u MW(s), %u spads, %u doorbells; the EP does not answer commands yet: link down until it does",
			rc->name, rc->version, rc->map->name, rc->num_mws,
			rc->spad_count, rc->nd.db_count);
		return 0;
	}
	if (ret != 0) {
		NTB_LOG(ERR, "%s: CONFIGURE_DOORBELL failed (%d): the EP is not serving vNTB commands",
			rc->name, ret);
		pthread_mutex_destroy(&rc->cmd_lock);
		return ret;
	}
	rc->initialised = true;
	rc->next_probe_us = vntb_rc_now_us() + (uint64_t)rc->liveness_ms * 1000u;
	NTB_LOG(INFO, "%s: vNTB ctrl v%u, map %s, %u MW(s), %u spads, %u doorbells",
		rc->name, rc->version, rc->map->name, rc->num_mws,
		rc->spad_count, rc->nd.db_count);
	return 0;
}

void
vntb_rc_fini(struct vntb_rc *rc)
{
	int ret;

	if (rc == NULL || !rc->initialised)
		return;
	vntb_rc_set_closing(rc, true);
	/* ntb_hw_epf's cleanup: argument = its db_count + 1 */
	ret = vntb_rc_send_command(rc, VNTB_CMD_TEARDOWN_DOORBELL,
				   rc->db_count + 1);
	/* a gone or silent EP was reported once already */
	if (ret != 0 && ret != -ENOTCONN && ret != -ETIMEDOUT)
		NTB_LOG(WARNING, "%s: TEARDOWN_DOORBELL not acknowledged (%d)",
			rc->name, ret);
	pthread_mutex_destroy(&rc->cmd_lock);
	rc->initialised = false;
}

/* What the transport and the application were sized on. */
static bool
vntb_rc_same_layout(const struct vntb_rc *a, const struct vntb_rc *b)
{
	unsigned int i, n;

	if (a->version != b->version || a->num_mws != b->num_mws ||
	    a->spad_offset != b->spad_offset ||
	    a->spad_count != b->spad_count ||
	    a->nd.db_count != b->nd.db_count ||
	    a->peer_spad.va != b->peer_spad.va)
		return false;
	for (i = 0; i < a->num_mws; i++)
		if (a->mw[i].bar != b->mw[i].bar ||
		    a->mw[i].offset != b->mw[i].offset ||
		    a->mw[i].size != b->mw[i].size)
			return false;
	for (n = VNTB_DB_SLOT_OFFSET; n < VNTB_DB_SLOT_OFFSET + a->nd.db_count;
	     n++)
		if (a->db_slot_off[n] != b->db_slot_off[n] ||
		    a->db_slot_data[n] != b->db_slot_data[n])
			return false;
	return true;
}

/*
 * Read and check the EP's ctrl region into a scratch copy and compare it
 * with ours; with send, CONFIGURE_DOORBELL first. rc->nd stays valid for
 * the transport (and the data path) all along.
 */
static int
vntb_rc_check_again(struct vntb_rc *rc, bool send)
{
	struct vntb_rc_params p;
	struct vntb_rc *fresh;
	int ret;

	if (rc == NULL || !rc->initialised)
		return -EINVAL;
	fresh = malloc(sizeof(*fresh));
	if (fresh == NULL)
		return -ENOMEM;
	memset(&p, 0, sizeof(p));
	p.name = rc->name;
	p.bars = rc->bars;
	p.map = rc->map;
	p.msi_fds = rc->msi_fds;
	p.nb_msi = rc->nb_msi;
	p.msix = rc->msix;
	p.cmd_timeout_us = rc->cmd_timeout_us;
	p.ep_absent = !send;
	ret = vntb_rc_init(fresh, &p);
	if (ret == 0) {
		if (!vntb_rc_same_layout(rc, fresh)) {
			NTB_LOG(ERR, "%s: the EP's ctrl region (version, memory windows, scratchpads or doorbells) differs from the first EP's: not taken",
				rc->name);
			ret = -EINVAL;
		}
		pthread_mutex_destroy(&fresh->cmd_lock);
	}
	free(fresh);
	return ret;
}

int
vntb_rc_recheck(struct vntb_rc *rc)
{
	return vntb_rc_check_again(rc, false);
}

int
vntb_rc_reinit(struct vntb_rc *rc)
{
	int ret = vntb_rc_check_again(rc, true);

	if (ret != 0)
		return ret;
	pthread_mutex_lock(&rc->cmd_lock);
	rc->peer_gone = false;
	rc->ep_silent = false;
	rc->unresponsive = false;
	rc->probe_posted = false;
	rc->lost_up = false;
	rc->next_probe_us = vntb_rc_now_us() + (uint64_t)rc->liveness_ms * 1000u;
	__atomic_store_n(&rc->db_val, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&rc->cmd_lock);
	NTB_LOG(NOTICE, "%s: vNTB function of the new EP configured", rc->name);
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * EP: the local interrupt window pointed at what the RC's kick writes
 * (the eDMA register page for dw_edma, the MSI target page for msi).
 */

#include <errno.h>
#include <inttypes.h>

#include "ntb_dwedma_log.h"
#include "ntb_intr_backend.h"

int
ntb_intr_ep_map(struct ntb_intr *it, struct ntb_intr_ep_win *w,
		rte_iova_t iova, uint64_t reach, const char *what)
{
	struct ntb_dev *nd = it->nd;
	uint64_t align = 0, size_max = 0, off;
	unsigned int mw = (unsigned int)w->mw;
	int ret;

	ret = nd->ops->mw_get_align(nd, mw, &align, &size_max);
	if (ret != 0)
		return ret;
	if (align == 0)
		align = 1;
	/* windows translate aligned addresses: map the page, keep the rest */
	off = iova % align;
	if (off + reach + 4 > size_max || off + reach + 4 > UINT32_MAX) {
		NTB_LOG(ERR, "%s: %s at %#" PRIx64 " + %#" PRIx64 " do not fit interrupt MW%d (%#" PRIx64 " bytes, %#" PRIx64 " alignment)",
			nd->name, what, (uint64_t)iova, reach, w->mw + 1,
			size_max, align);
		return -EINVAL;
	}
	ret = nd->ops->mw_set_trans(nd, mw, iova - off, size_max);
	if (ret != 0) {
		NTB_LOG(ERR, "%s: pointing interrupt MW%d at the %s failed (%d)",
			nd->name, w->mw + 1, what, ret);
		return ret;
	}
	w->target_off = (uint32_t)off;
	w->mapped = true;
	return 0;
}

void
ntb_intr_ep_unmap(struct ntb_intr *it, struct ntb_intr_ep_win *w)
{
	if (w->mapped)
		it->nd->ops->mw_clear_trans(it->nd, (unsigned int)w->mw);
	w->mapped = false;
}

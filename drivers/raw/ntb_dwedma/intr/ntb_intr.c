/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Backend selection (the one place that decides and falls back), set-up,
 * and the pieces the backends share.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ntb_dwedma_log.h"
#include "dw_edma_v0_regs.h"
#include "ntb_intr_priv.h"

static const char *const ntb_intr_mode_names[] = {
	[NTB_INTR_AUTO] = "auto",
	[NTB_INTR_POLL] = "poll",
	[NTB_INTR_DOORBELL] = "doorbell",
	[NTB_INTR_DW_EDMA] = "dw_edma",
	[NTB_INTR_MSI] = "msi",
};

const char *
ntb_intr_mode_name(enum ntb_intr_mode mode)
{
	if ((unsigned int)mode >= RTE_DIM(ntb_intr_mode_names))
		return "invalid";
	return ntb_intr_mode_names[mode];
}

int
ntb_intr_mode_parse(const char *name, enum ntb_intr_mode *mode)
{
	unsigned int i;

	if (name == NULL || mode == NULL)
		return -EINVAL;
	for (i = 0; i < RTE_DIM(ntb_intr_mode_names); i++) {
		if (strcmp(name, ntb_intr_mode_names[i]) == 0) {
			*mode = (enum ntb_intr_mode)i;
			return 0;
		}
	}
	NTB_LOG(ERR, "intr=%s: expected auto, poll, doorbell, dw_edma or msi",
		name);
	return -EINVAL;
}

/* Common pieces */

void
ntb_intr_fd_set_nonblock(int fd)
{
	int fl;

	if (fd < 0)
		return;
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0 && !(fl & O_NONBLOCK))
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

uint64_t
ntb_intr_fd_drain(int fd)
{
	uint64_t cnt;

	/* eventfd: one read returns and resets the whole count */
	if (fd < 0 || read(fd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return 0;
	return cnt;
}

void
ntb_intr_desc_none(struct ntb_intr *it __rte_unused,
		   uint16_t qp __rte_unused, struct ntb_intr_desc *d)
{
	d->addr_offset = NTB_INTR_DESC_INVALID;
	d->data = NTB_INTR_DESC_INVALID;
}

/* Backends that never kick through a descriptor: use the doorbell. */
int
ntb_intr_no_peer_desc(struct ntb_intr *it, uint16_t qp,
		      const struct ntb_intr_desc *d)
{
	if (d != NULL && d->addr_offset != NTB_INTR_DESC_INVALID &&
	    d->data != NTB_INTR_DESC_INVALID)
		NTB_LOG(DEBUG, "%s: QP %u: peer descriptor ignored by intr=%s",
			it->nd->name, qp, it->ops->name);
	return -ENOTSUP;
}

int
ntb_intr_ep_map(struct ntb_intr *it, rte_iova_t iova, uint64_t reach,
		const char *what)
{
	struct ntb_intr_priv *p = ntb_intr_priv(it);
	struct ntb_dev *nd = it->nd;
	uint64_t align = 0, size_max = 0, off;
	unsigned int mw = (unsigned int)p->intr_mw;
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
			nd->name, what, (uint64_t)iova, reach, p->intr_mw + 1,
			size_max, align);
		return -EINVAL;
	}
	ret = nd->ops->mw_set_trans(nd, mw, iova - off, size_max);
	if (ret != 0) {
		NTB_LOG(ERR, "%s: pointing interrupt MW%d at the %s failed (%d)",
			nd->name, p->intr_mw + 1, what, ret);
		return ret;
	}
	p->target_off = (uint32_t)off;
	p->mw_mapped = true;
	return 0;
}

void
ntb_intr_ep_unmap(struct ntb_intr *it)
{
	struct ntb_intr_priv *p = ntb_intr_priv(it);

	if (p->mw_mapped)
		it->nd->ops->mw_clear_trans(it->nd, (unsigned int)p->intr_mw);
	p->mw_mapped = false;
}

/* Selection */

static bool
ntb_intr_mw_ok(const struct ntb_dev *nd, const struct ntb_intr_res *res)
{
	return res != NULL && res->intr_mw >= 0 &&
		(unsigned int)res->intr_mw < nd->mw_count;
}

/* Can mode run here? If not, *why says what is missing. */
static bool
ntb_intr_possible(enum ntb_intr_mode mode, struct ntb_dev *nd, bool is_ep,
		  const struct ntb_intr_res *res, uint16_t nb_qp,
		  char *why, size_t why_len)
{
	bool doorbells = nb_qp <= nd->db_count && nd->ops->peer_db_set != NULL;

	switch (mode) {
	case NTB_INTR_POLL:
		return true;
	case NTB_INTR_DOORBELL:
		if (!doorbells)
			snprintf(why, why_len, "%u QPs but %u doorbells",
				 nb_qp, nd->db_count);
		return doorbells;
	case NTB_INTR_DW_EDMA:
	case NTB_INTR_MSI:
		if (!ntb_intr_mw_ok(nd, res)) {
			snprintf(why, why_len, "no interrupt MW (intr_mw of %u MWs)",
				 nd->mw_count);
			return false;
		}
		if (!is_ep)
			return true;	/* RC: kicks through the peer's window */
		if (!doorbells) {
			/* the EP kicks the RC with doorbells in every mode */
			snprintf(why, why_len, "%u QPs but %u doorbells",
				 nb_qp, nd->db_count);
			return false;
		}
		if (mode == NTB_INTR_DW_EDMA &&
		    (res->edma_regs == NULL || res->edma_regs->va == NULL ||
		     res->edma_regs->len < DW_EDMA_V0_RD_INT_CLEAR + 4 ||
		     res->edma_irq_fd < 0)) {
			snprintf(why, why_len, "no eDMA registers or eDMA IRQ");
			return false;
		}
		if (mode == NTB_INTR_MSI &&
		    (res->msi_page == NULL || res->msi_fds == NULL ||
		     res->msi_nb_vectors < NTB_INTR_MSI_VECTOR(nb_qp))) {
			snprintf(why, why_len, "no MSI page or fewer than %u vectors",
				 NTB_INTR_MSI_VECTOR(nb_qp));
			return false;
		}
		return true;
	default:
		snprintf(why, why_len, "unknown mode");
		return false;
	}
}

static int
ntb_intr_setup(struct ntb_intr *it, enum ntb_intr_mode mode, bool is_ep,
	       const struct ntb_intr_res *res)
{
	struct ntb_intr_priv *p = ntb_intr_priv(it);
	struct ntb_dev *nd = it->nd;
	unsigned int q;
	int ret;

	memset(p, 0, sizeof(*p));
	p->is_ep = is_ep;
	p->intr_mw = res != NULL ? res->intr_mw : -1;
	p->edma_irq_fd = -1;
	it->rx_fd_shared = false;
	it->mode = mode;

	/* everyone may drain the doorbell fds (receive or fall-back) */
	for (q = 0; q < it->nb_qp; q++)
		ntb_intr_fd_set_nonblock(nd->db_fd[q]);

	switch (mode) {
	case NTB_INTR_POLL:
		it->ops = &ntb_intr_poll_ops;
		return 0;
	case NTB_INTR_DOORBELL:
		it->ops = &ntb_intr_doorbell_ops;
		return 0;
	case NTB_INTR_DW_EDMA:
	case NTB_INTR_MSI:
		break;
	default:
		return -EINVAL;
	}

	if (!is_ep) {
		ret = nd->ops->peer_mw_get_bar(nd, (unsigned int)p->intr_mw,
					       &p->peer_win);
		if (ret != 0)
			return ret;
		it->ops = mode == NTB_INTR_DW_EDMA ?
			&ntb_intr_dw_edma_rc_ops : &ntb_intr_msi_rc_ops;
		return 0;
	}
	if (mode == NTB_INTR_DW_EDMA) {
		p->edma_regs = *res->edma_regs;
		p->edma_irq_fd = res->edma_irq_fd;
		ntb_intr_fd_set_nonblock(p->edma_irq_fd);
		ret = ntb_intr_ep_map(it, res->edma_regs_iova,
				      DW_EDMA_V0_RD_INT_STATUS, "eDMA registers");
		if (ret != 0)
			return ret;
		it->ops = &ntb_intr_dw_edma_ep_ops;
		it->rx_fd_shared = true;
		return 0;
	}
	for (q = 0; q < it->nb_qp; q++) {
		p->msi_fds[q] = res->msi_fds[NTB_INTR_MSI_VECTOR(q)];
		ntb_intr_fd_set_nonblock(p->msi_fds[q]);
	}
	ret = ntb_intr_ep_map(it, res->msi_page_iova,
			      4u * NTB_INTR_MSI_VECTOR(it->nb_qp - 1u),
			      "MSI page");
	if (ret != 0)
		return ret;
	it->ops = &ntb_intr_msi_ep_ops;
	return 0;
}

int
ntb_intr_create(struct ntb_intr *it, struct ntb_dev *nd,
		enum ntb_intr_mode mode, bool is_ep,
		const struct ntb_intr_res *res, uint16_t nb_qp)
{
	static const enum ntb_intr_mode auto_order[] = {
		NTB_INTR_DW_EDMA, NTB_INTR_MSI, NTB_INTR_DOORBELL,
		NTB_INTR_POLL,
	};
	char skipped[256] = "";
	char why[96];
	unsigned int i;
	int ret;

	if (it == NULL || nd == NULL || nd->ops == NULL) {
		NTB_LOG(ERR, "interrupt backend: no device");
		return -EINVAL;
	}
	if (nb_qp == 0 || nb_qp > NTB_MAX_DB) {
		NTB_LOG(ERR, "%s: %u queue pairs, interrupt backends support 1..%u",
			nd->name, nb_qp, NTB_MAX_DB);
		return -EINVAL;
	}
	memset(it, 0, sizeof(*it));
	it->nd = nd;
	it->nb_qp = nb_qp;
	it->priv = calloc(1, sizeof(struct ntb_intr_priv));
	if (it->priv == NULL)
		return -ENOMEM;

	if (mode != NTB_INTR_AUTO) {
		why[0] = '\0';
		if (!ntb_intr_possible(mode, nd, is_ep, res, nb_qp, why,
				       sizeof(why))) {
			NTB_LOG(ERR, "%s: intr=%s not possible on the %s: %s",
				nd->name, ntb_intr_mode_name(mode),
				is_ep ? "EP" : "RC", why);
			ret = -EINVAL;
			goto fail;
		}
		ret = ntb_intr_setup(it, mode, is_ep, res);
		if (ret != 0)
			goto fail;
		NTB_LOG(INFO, "%s: intr=%s (%s)", nd->name,
			it->ops->name, is_ep ? "EP" : "RC");
		return 0;
	}

	for (i = 0; i < RTE_DIM(auto_order); i++) {
		size_t used = strlen(skipped);

		why[0] = '\0';
		if (ntb_intr_possible(auto_order[i], nd, is_ep, res, nb_qp,
				      why, sizeof(why))) {
			ret = ntb_intr_setup(it, auto_order[i], is_ep, res);
			if (ret == 0) {
				NTB_LOG(INFO, "%s: intr=auto chose %s (%s)%s%s",
					nd->name, it->ops->name,
					is_ep ? "EP" : "RC",
					used != 0 ? "; skipped " : "",
					skipped);
				return 0;
			}
			snprintf(why, sizeof(why), "set-up failed (%d)", ret);
		}
		snprintf(skipped + used, sizeof(skipped) - used, "%s%s: %s",
			 used != 0 ? ", " : "",
			 ntb_intr_mode_name(auto_order[i]), why);
	}
	ret = -EINVAL;	/* not reached: poll always works */
fail:
	free(it->priv);
	it->priv = NULL;
	it->ops = NULL;
	return ret;
}

void
ntb_intr_destroy(struct ntb_intr *it)
{
	if (it == NULL || it->priv == NULL)
		return;
	if (it->ops != NULL && it->ops->fini != NULL)
		it->ops->fini(it);
	free(it->priv);
	it->priv = NULL;
	it->ops = NULL;
}

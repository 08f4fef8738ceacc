/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The backend table, selection (the one place that decides and falls
 * back), set-up, and the calls the transport and the delivery make.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntb_dwedma_log.h"
#include "ntb_intr_backend.h"

/*
 * Every backend, in intr=auto's order of preference; an explicit mode
 * takes the first entry of that mode for our side.
 */
static const struct ntb_intr_ops *const ntb_intr_backends[] = {
	&ntb_intr_dw_edma_ep_ops,
	&ntb_intr_dw_edma_rc_ops,
	&ntb_intr_msi_ep_ops,
	&ntb_intr_msi_rc_ops,
	&ntb_intr_doorbell_ops,
	&ntb_intr_poll_ops,
};

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

static bool
ntb_intr_side_ok(const struct ntb_intr_ops *ops, bool is_ep)
{
	return ops->side == NTB_INTR_SIDE_ANY ||
		ops->side == (is_ep ? NTB_INTR_SIDE_EP : NTB_INTR_SIDE_RC);
}

/* Set backend ops up on it; on failure it is as before (no priv). */
static int
ntb_intr_setup(struct ntb_intr *it, const struct ntb_intr_ops *ops,
	       const struct ntb_intr_res *res)
{
	unsigned int q;
	int ret;

	it->ops = ops;
	it->mode = ops->mode;
	it->rx_fd_shared = ops->rx_fd_shared;
	memset(&it->stats, 0, sizeof(it->stats));
	it->priv = NULL;
	if (ops->priv_size != 0) {
		it->priv = calloc(1, ops->priv_size);
		if (it->priv == NULL) {
			it->ops = NULL;
			return -ENOMEM;
		}
	}
	/* everyone may drain the doorbell fds (receive or fall-back) */
	for (q = 0; q < it->nb_qp; q++)
		ntb_intr_fd_set_nonblock(it->nd->db_fd[q]);
	ret = ops->init != NULL ? ops->init(it, res) : 0;
	if (ret != 0) {
		free(it->priv);
		it->priv = NULL;
		it->ops = NULL;
	}
	return ret;
}

static int
ntb_intr_create_mode(struct ntb_intr *it, enum ntb_intr_mode mode,
		     const struct ntb_intr_res *res)
{
	const struct ntb_intr_ops *ops = NULL;
	struct ntb_dev *nd = it->nd;
	char why[96] = "unknown mode";
	unsigned int i;
	int ret;

	for (i = 0; i < RTE_DIM(ntb_intr_backends) && ops == NULL; i++)
		if (ntb_intr_backends[i]->mode == mode &&
		    ntb_intr_side_ok(ntb_intr_backends[i], it->is_ep))
			ops = ntb_intr_backends[i];
	if (ops == NULL || !ops->possible(it, res, why, sizeof(why))) {
		NTB_LOG(ERR, "%s: intr=%s not possible on the %s: %s",
			nd->name, ntb_intr_mode_name(mode),
			it->is_ep ? "EP" : "RC", why);
		return -EINVAL;
	}
	ret = ntb_intr_setup(it, ops, res);
	if (ret != 0)
		return ret;
	NTB_LOG(INFO, "%s: intr=%s (%s)", nd->name, ops->name,
		it->is_ep ? "EP" : "RC");
	return 0;
}

static int
ntb_intr_create_auto(struct ntb_intr *it, const struct ntb_intr_res *res)
{
	char skipped[256] = "";
	char why[96];
	unsigned int i;
	int ret;

	for (i = 0; i < RTE_DIM(ntb_intr_backends); i++) {
		const struct ntb_intr_ops *ops = ntb_intr_backends[i];
		size_t used = strlen(skipped);

		if (!ntb_intr_side_ok(ops, it->is_ep))
			continue;
		why[0] = '\0';
		if (ops->possible(it, res, why, sizeof(why))) {
			ret = ntb_intr_setup(it, ops, res);
			if (ret == 0) {
				NTB_LOG(INFO, "%s: intr=auto chose %s (%s)%s%s",
					it->nd->name, ops->name,
					it->is_ep ? "EP" : "RC",
					used != 0 ? "; skipped " : "",
					skipped);
				return 0;
			}
			snprintf(why, sizeof(why), "set-up failed (%d)", ret);
		}
		snprintf(skipped + used, sizeof(skipped) - used, "%s%s: %s",
			 used != 0 ? ", " : "", ops->name, why);
	}
	return -EINVAL;	/* not reached: poll always works */
}

int
ntb_intr_create(struct ntb_intr *it, struct ntb_dev *nd,
		enum ntb_intr_mode mode, bool is_ep,
		const struct ntb_intr_res *res, uint16_t nb_qp)
{
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
	it->is_ep = is_ep;
	it->nb_qp = nb_qp;
	ret = mode == NTB_INTR_AUTO ? ntb_intr_create_auto(it, res) :
		ntb_intr_create_mode(it, mode, res);
	if (ret != 0)
		it->ops = NULL;
	return ret;
}

void
ntb_intr_destroy(struct ntb_intr *it)
{
	if (it == NULL || it->ops == NULL)
		return;
	if (it->ops->fini != NULL)
		it->ops->fini(it);
	free(it->priv);
	it->priv = NULL;
	it->ops = NULL;
}

/* The transport's calls */

void
ntb_intr_local_desc(struct ntb_intr *it, uint16_t qp, struct ntb_intr_desc *d)
{
	it->ops->local_desc(it, qp, d);
}

int
ntb_intr_set_peer_desc(struct ntb_intr *it, uint16_t qp,
		       const struct ntb_intr_desc *d)
{
	return it->ops->set_peer_desc(it, qp, d);
}

void
ntb_intr_kick(struct ntb_intr *it, uint16_t qp)
{
	it->ops->kick(it, qp);
}

int
ntb_intr_rx_fd(struct ntb_intr *it, uint16_t qp)
{
	return it->ops->rx_fd(it, qp);
}

void
ntb_intr_rx_ack(struct ntb_intr *it, uint16_t qp)
{
	it->ops->rx_ack(it, qp);
}

/* What the delivery asks of the backend */

bool
ntb_intr_can_rearm(const struct ntb_intr *it)
{
	return it->ops != NULL && it->ops->rx_rearm != NULL;
}

void
ntb_intr_rx_rearm(struct ntb_intr *it, uint16_t qp)
{
	if (it->ops->rx_rearm != NULL)
		it->ops->rx_rearm(it, qp);
}

int
ntb_intr_rx_db_fd(struct ntb_intr *it, uint16_t qp)
{
	int fd;

	if (it == NULL || it->ops == NULL || it->ops->rx_db_fd == NULL)
		return -1;
	fd = it->ops->rx_db_fd(it, qp);
	/* a backend that receives on the doorbell already has it as rx_fd */
	return fd >= 0 && fd != it->ops->rx_fd(it, qp) ? fd : -1;
}

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/* Pieces the interrupt backends share (see ntb_intr_backend.h). */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "ntb_dwedma_log.h"
#include "ntb_intr_backend.h"

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

bool
ntb_intr_mw_ok(const struct ntb_intr *it, const struct ntb_intr_res *res,
	       char *why, size_t why_len)
{
	if (res != NULL && res->intr_mw >= 0 &&
	    (unsigned int)res->intr_mw < it->nd->mw_count)
		return true;
	snprintf(why, why_len, "no interrupt MW (intr_mw of %u MWs)",
		 it->nd->mw_count);
	return false;
}

bool
ntb_intr_doorbells_ok(const struct ntb_intr *it, char *why, size_t why_len)
{
	const struct ntb_dev *nd = it->nd;

	if (it->nb_qp <= nd->db_count && nd->ops->peer_db_set != NULL)
		return true;
	snprintf(why, why_len, "%u QPs but %u doorbells", it->nb_qp,
		 nd->db_count);
	return false;
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

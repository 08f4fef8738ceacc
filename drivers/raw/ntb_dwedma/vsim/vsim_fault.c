/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/* Fault injection for tests: peer death, link flaps, slow EP, bad values. */

#include <errno.h>

#include "vsim_fault.h"
#include "vsim_priv.h"

int
vsim_fault_kill_link(struct vsim *vs)
{
	return vsim_link_drop(vs);
}

int
vsim_fault_set_link(struct vsim *vs, bool up)
{
	if (vs->p.role != VSIM_ROLE_EP)
		return -EINVAL;
	vntb_ep_set_link(&vs->epc.fn, up);
	/* the link vector, if an RC is there to take it */
	vsim_epc_ops.raise_irq(vs, VNTB_MSI_LINK_VECTOR);
	return 0;
}

void
vsim_fault_cmd_delay(struct vsim *vs, unsigned int extra_us)
{
	__atomic_store_n(&vs->epc.cmd_delay_us, extra_us, __ATOMIC_RELAXED);
}

void
vsim_fault_poke32(const struct ntb_bar *bar, size_t off, uint32_t v)
{
	if (ntb_bar_in_range(bar, off, sizeof(v)))
		rte_write32(v, bar->va + off);
}

int
vsim_fault_poke_iova(struct vsim *vs, bool peer, rte_iova_t iova, uint32_t v)
{
	uint32_t *p;
	int rc = -ERANGE;

	rte_rwlock_read_lock(&vs->peer_lock);
	p = vsim_memtab_va(peer ? &vs->peer : &vs->local, iova, sizeof(v));
	if (p != NULL) {
		rte_write32(v, p);
		rc = 0;
	}
	rte_rwlock_read_unlock(&vs->peer_lock);
	return rc;
}

int
vsim_fault_engine_hold(struct vsim *vs, bool hold)
{
	if (vs->p.role != VSIM_ROLE_EP)
		return -EINVAL;
	__atomic_store_n(&vs->epc.engine_hold, hold, __ATOMIC_RELEASE);
	if (!hold)	/* run what was posted meanwhile */
		vsim_eventfd_signal(vs->ep.engine_fd);
	return 0;
}

int
vsim_fault_edma_abort(struct vsim *vs, uint32_t skip, uint32_t count)
{
	if (vs->p.role != VSIM_ROLE_EP)
		return -EINVAL;
	/* the engine thread reads them under the model's lock */
	rte_spinlock_lock(&vs->edma.sh->lock);
	vs->edma.fail_skip = skip;
	vs->edma.fail_count = count;
	rte_spinlock_unlock(&vs->edma.sh->lock);
	return 0;
}

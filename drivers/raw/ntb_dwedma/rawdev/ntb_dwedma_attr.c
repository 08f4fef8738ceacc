/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * rawdev attributes with the names of DPDK's rte_pmd_ntb.h, so that
 * applications written for the NTB rawdev (examples/ntb) work unchanged.
 * spad_user_<N>: set writes the PEER's scratchpad, get reads OUR OWN
 * (the same semantics as DPDK's NTB rawdev); they sit at the top of the
 * scratchpad range, above what ntb_transport uses.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_pmd_ntb.h>
#include <rte_rawdev_pmd.h>

#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_log.h"
#include "ntb_transport_wire.h"

#define NTB_ATTR_NAME_LEN	30	/* as DPDK's NTB rawdev compares */
#define SPAD_USER_PREFIX	"spad_user_"

/* First user scratchpad index (user spads sit at the top). */
static unsigned int
ntb_dwedma_spad_user_base(const struct ntb_dwedma_dev *d)
{
	return d->nd->spad_count - NTB_DWEDMA_NB_SPAD_USER;
}

/* Index of spad_user_<N> or -1 (bad name or not enough scratchpads). */
static int
spad_user_index(const struct ntb_dwedma_dev *d, const char *name)
{
	const char *num = name + strlen(SPAD_USER_PREFIX);
	unsigned int used = NTBT_SPAD_MW0_SZ_HIGH + 2 * d->nd->mw_count +
		2 * d->nd->db_count;
	char *end;
	unsigned long n;

	if (strncmp(name, SPAD_USER_PREFIX, strlen(SPAD_USER_PREFIX)) != 0)
		return -1;
	n = strtoul(num, &end, 10);
	if (*num == '\0' || *end != '\0' || n >= NTB_DWEDMA_NB_SPAD_USER)
		return -1;
	/* transport spads: version..MW sizes, then interrupt descriptors */
	if (d->nd->spad_count < used + NTB_DWEDMA_NB_SPAD_USER)
		return -1;
	return ntb_dwedma_spad_user_base(d) + n;
}

static bool
attr_is(const char *name, const char *want)
{
	return strncmp(name, want, NTB_ATTR_NAME_LEN) == 0;
}

int
ntb_dwedma_attr_set(struct rte_rawdev *dev, const char *name,
		    const uint64_t value)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	int idx;

	if (name == NULL)
		return -EINVAL;
	if (attr_is(name, NTB_QUEUE_SZ_NAME)) {
		if (value < NTB_MIN_DESC_SIZE || value > NTB_MAX_DESC_SIZE) {
			NTB_LOG(ERR, "%s: %s %" PRIu64 " out of range %u..%u",
				dev->name, name, value, NTB_MIN_DESC_SIZE,
				NTB_MAX_DESC_SIZE);
			return -EINVAL;
		}
		d->queue_size = value;
		return 0;
	}
	if (attr_is(name, NTB_QUEUE_NUM_NAME)) {
		if (value == 0 || value > NTB_DWEDMA_MAX_QP) {
			NTB_LOG(ERR, "%s: %s %" PRIu64 " out of range 1..%u",
				dev->name, name, value, NTB_DWEDMA_MAX_QP);
			return -EINVAL;
		}
		d->queue_num = value;
		return 0;
	}
	idx = spad_user_index(d, name);
	if (idx >= 0) {
		if (value > UINT32_MAX) {
			NTB_LOG(ERR, "%s: %s takes a 32-bit value", dev->name,
				name);
			return -EINVAL;
		}
		return d->nd->ops->peer_spad_write(d->nd, idx, (uint32_t)value);
	}
	NTB_LOG(ERR, "%s: attribute %s cannot be set", dev->name, name);
	return -EINVAL;
}

int
ntb_dwedma_attr_get(struct rte_rawdev *dev, const char *name,
		    uint64_t *value)
{
	struct ntb_dwedma_dev *d = ntb_dwedma_priv(dev);
	uint8_t speed = 0, width = 0;
	int idx;

	if (name == NULL || value == NULL)
		return -EINVAL;
	if (attr_is(name, NTB_QUEUE_SZ_NAME))
		*value = d->queue_size;
	else if (attr_is(name, NTB_QUEUE_NUM_NAME))
		*value = d->queue_num;
	else if (attr_is(name, NTB_TOPO_NAME))
		*value = 0;	/* no B2B topology: NTB_TOPO_NONE, as ntb_hw_epf */
	else if (attr_is(name, NTB_LINK_STATUS_NAME))
		*value = __atomic_load_n(&d->link_up, __ATOMIC_ACQUIRE);
	else if (attr_is(name, NTB_SPEED_NAME) ||
		 attr_is(name, NTB_WIDTH_NAME)) {
		if (d->hw_ops->pcie_link != NULL)
			d->hw_ops->pcie_link(d, &speed, &width);
		*value = attr_is(name, NTB_SPEED_NAME) ? speed : width;
	} else if (attr_is(name, NTB_MW_CNT_NAME))
		*value = d->nd->mw_count;
	else if (attr_is(name, NTB_DB_CNT_NAME))
		*value = d->nd->db_count;
	else if (attr_is(name, NTB_SPAD_CNT_NAME))
		*value = d->nd->spad_count;
	else if ((idx = spad_user_index(d, name)) >= 0)
		*value = d->nd->ops->spad_read(d->nd, idx);
	else {
		NTB_LOG(ERR, "%s: unknown attribute %s", dev->name, name);
		return -EINVAL;
	}
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_TEST_RAWDEV_H
#define NTB_TEST_RAWDEV_H

/*
 * Bring a raw_ntb_* rawdev up the way DPDK's NTB rawdev contract wants it
 * (rte_pmd_ntb.h): queue attributes, configure, queue 0 set up with
 * mempool mp, start. One queue of nb_desc descriptors (or nb_q queues:
 * ntb_test_rawdev_up_n). The rawdev id, or -1 on any failure.
 */

#include <rte_mempool.h>
#include <rte_pmd_ntb.h>
#include <rte_rawdev.h>

/* The same with nb_q queues of nb_desc descriptors. */
static inline int
ntb_test_rawdev_up_n(const char *name, struct rte_mempool *mp,
		     uint16_t nb_desc, uint16_t nb_q)
{
	struct ntb_dev_config conf = { .num_queues = nb_q,
				       .queue_size = nb_desc };
	struct ntb_queue_conf qc = { .nb_desc = nb_desc, .rx_mp = mp };
	struct rte_rawdev_info info = { .dev_private = &conf };
	int id = rte_rawdev_get_dev_id(name);
	uint16_t q;

	if (id < 0 || mp == NULL ||
	    rte_rawdev_set_attr(id, NTB_QUEUE_SZ_NAME, nb_desc) < 0 ||
	    rte_rawdev_set_attr(id, NTB_QUEUE_NUM_NAME, nb_q) < 0 ||
	    rte_rawdev_configure(id, &info, sizeof(conf)) < 0)
		return -1;
	for (q = 0; q < nb_q; q++)
		if (rte_rawdev_queue_setup(id, q, &qc, sizeof(qc)) < 0)
			return -1;
	if (rte_rawdev_start(id) < 0)
		return -1;
	return id;
}

static inline int
ntb_test_rawdev_up(const char *name, struct rte_mempool *mp,
		   uint16_t nb_desc)
{
	return ntb_test_rawdev_up_n(name, mp, nb_desc, 1);
}

#endif /* NTB_TEST_RAWDEV_H */

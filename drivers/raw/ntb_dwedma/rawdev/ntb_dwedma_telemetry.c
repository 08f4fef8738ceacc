/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Telemetry (dpdk-telemetry.py):
 *   /ntb_dwedma/list            ids of raw_ntb_dwedma / raw_ntb_vsim devices
 *   /ntb_dwedma/info,<dev_id>   role, link, interrupt backend, geometry
 *   /ntb_dwedma/qp,<dev_id>,<q> counters of one queue pair (the rows
 *                               of NTBT_QP_XSTATS, as the xstats name them)
 * The rawdev library's /rawdev/xstats gives the same counters by name.
 */

#include <errno.h>
#include <stdlib.h>

#include <rte_rawdev_pmd.h>
#include <rte_telemetry.h>

#include "ntb_compat.h"
#include "ntb_dwedma_dev.h"

static struct ntb_dwedma_dev *
tel_dev(const char *params, const char **rest)
{
	char *end;
	unsigned long id;

	if (params == NULL || *params == '\0')
		return NULL;
	id = strtoul(params, &end, 10);
	if (end == params || id >= RTE_RAWDEV_MAX_DEVS ||
	    !rte_pmd_ntb_dwedma_is_ntb_dwedma(id))
		return NULL;
	if (rest != NULL)
		*rest = *end == ',' ? end + 1 : NULL;
	return rte_rawdevs[id].dev_private;
}

static int
tel_list(const char *cmd, const char *params, struct rte_tel_data *t)
{
	uint16_t i;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_array(t, RTE_TEL_INT_VAL);
	for (i = 0; i < RTE_RAWDEV_MAX_DEVS; i++)
		if (rte_pmd_ntb_dwedma_is_ntb_dwedma(i))
			rte_tel_data_add_array_int(t, i);
	return 0;
}

static int
tel_info(const char *cmd, const char *params, struct rte_tel_data *t)
{
	struct ntb_dwedma_dev *d = tel_dev(params, NULL);
	struct rte_pmd_ntb_dwedma_info info;

	RTE_SET_USED(cmd);
	if (d == NULL)
		return -EINVAL;
	rte_pmd_ntb_dwedma_info_get(d->dev_id, &info);
	rte_tel_data_start_dict(t);
	rte_tel_data_add_dict_string(t, "name", d->rawdev->name);
	rte_tel_data_add_dict_string(t, "role", d->is_ep ? "ep" : "rc");
	rte_tel_data_add_dict_string(t, "link", d->link_up ? "up" : "down");
	rte_tel_data_add_dict_string(t, "intr", info.intr_mode);
	rte_tel_data_add_dict_int(t, "queue_pairs", d->queue_num);
	rte_tel_data_add_dict_uint(t, "max_pkt_len", info.max_pkt_len);
	rte_tel_data_add_dict_uint(t, "frame_size", info.frame_size);
	rte_tel_data_add_dict_int(t, "mw_count", d->nd->mw_count);
	rte_tel_data_add_dict_int(t, "db_count", d->nd->db_count);
	rte_tel_data_add_dict_int(t, "spad_count", d->nd->spad_count);
	rte_tel_data_add_dict_uint(t, "link_up_events", d->link_up_events);
	rte_tel_data_add_dict_uint(t, "link_down_events", d->link_down_events);
	return 0;
}

static int
tel_qp(const char *cmd, const char *params, struct rte_tel_data *t)
{
	const char *rest = NULL;
	struct ntb_dwedma_dev *d = tel_dev(params, &rest);
	struct rte_pmd_ntb_dwedma_qp_stats s;
	unsigned long q;
	unsigned int i;

	RTE_SET_USED(cmd);
	if (d == NULL || rest == NULL)
		return -EINVAL;
	q = strtoul(rest, NULL, 10);
	if (q >= d->queue_num)
		return -EINVAL;
	ntb_dwedma_qp_stats(d, q, &s);
	rte_tel_data_start_dict(t);
	for (i = 0; i < ntb_dwedma_nb_qp_xstats; i++)
		rte_tel_data_add_dict_uint(t, ntb_dwedma_qp_xstat_names[i],
					   ntb_dwedma_qp_xstat(&s, i));
	return 0;
}

RTE_INIT(ntb_dwedma_telemetry_init)
{
	rte_telemetry_register_cmd("/ntb_dwedma/list", tel_list,
		"Ids of raw_ntb_dwedma devices. No parameters");
	rte_telemetry_register_cmd("/ntb_dwedma/info", tel_info,
		"Role, link, interrupt backend, geometry. Parameters: int dev_id");
	rte_telemetry_register_cmd("/ntb_dwedma/qp", tel_qp,
		"Counters of a queue pair. Parameters: int dev_id,int qp");
}

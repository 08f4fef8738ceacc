/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef NTB_COMPAT_H
#define NTB_COMPAT_H

/**
 * @file
 * The DPDK API differences between the releases dpdk-vntb builds against
 * (22.11, 23.11, 24.11, 25.11, 26.07), in one place, keyed on RTE_VERSION.
 *
 * The code is written against the newest API; for older releases this
 * header supplies what they lack under the newer name:
 *
 * - rte_thread_create_control(): 23.03 (rte_ctrl_thread_create(), the
 *   pthread-based one, is gone in 23.11). Thread functions return
 *   uint32_t and are joined with rte_thread_join().
 * - rte_tel_data_add_dict_uint(): 23.03 (the _u64 variant is deprecated
 *   in 24.11 and gone in 25.11).
 * - __rte_packed_begin / __rte_packed_end: 25.03 (__rte_packed is
 *   deprecated in 25.11).
 * - rte_kvargs_process_opt(): 24.11 (a key without a value reaches the
 *   handler with value NULL; before 24.11 rte_kvargs_process() did that).
 *
 * Where a driver callback changed its signature, a macro names the
 * difference:
 *
 * - NTB_ETH_STATS_QSTATS_PARAM (append to a stats_get callback's
 *   parameter list) and NTB_ETH_QSTATS_DECL(var, stats) (a pointer to its
 *   per-queue counters, NULL when not wanted): 25.11 moved q_ipackets & co.
 *   out of rte_eth_stats into struct eth_queue_stats, a third argument of
 *   eth_stats_get_t named qstats here.
 * - NTB_DMA_CONF_SILENT(conf): 25.11 replaced rte_dma_conf.enable_silent
 *   by the flag RTE_DMA_CFG_FLAG_SILENT in rte_dma_conf.flags (keyed on
 *   that flag: include rte_dmadev.h before this header to use it).
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_version.h>

#define NTB_DPDK_AT_LEAST(y, m) (RTE_VERSION >= RTE_VERSION_NUM(y, m, 0, 0))

/* Packed structures: struct __rte_packed_begin name { ... } __rte_packed_end;
 * (25.03; __rte_packed is deprecated in 25.11) */
#ifndef __rte_packed_begin
#define __rte_packed_begin
#define __rte_packed_end __attribute__((__packed__))
#endif

/* Control threads */
#include <rte_thread.h>
#if !NTB_DPDK_AT_LEAST(23, 3)
#include <pthread.h>
#include <rte_lcore.h>

struct ntb_compat_thread_start {
	rte_thread_func func;
	void *arg;
};

static inline void *
ntb_compat_thread_trampoline(void *p)
{
	struct ntb_compat_thread_start s = *(struct ntb_compat_thread_start *)p;

	free(p);
	return (void *)(uintptr_t)s.func(s.arg);
}

/* 22.11: rte_ctrl_thread_create() (a thread with the control-thread CPU
 * affinity) under 23.03's signature; on Linux an rte_thread_t holds the
 * pthread_t, which 22.11's rte_thread_join() passes to pthread_join(). */
static inline int
rte_thread_create_control(rte_thread_t *thread, const char *name,
		rte_thread_func func, void *arg)
{
	struct ntb_compat_thread_start *s = malloc(sizeof(*s));
	pthread_t tid;
	int ret;

	if (s == NULL)
		return -ENOMEM;
	s->func = func;
	s->arg = arg;
	ret = rte_ctrl_thread_create(&tid, name, NULL,
			ntb_compat_thread_trampoline, s);
	if (ret != 0) {
		free(s);	/* the trampoline never ran */
		return ret;
	}
	thread->opaque_id = (uintptr_t)tid;
	return 0;
}
#endif

/* Device arguments: until 24.11 rte_kvargs_process() also handed a key
 * given without a value (value NULL) to the handler; from 24.11 it fails
 * without calling it and rte_kvargs_process_opt() does that. The handlers
 * report a missing value themselves. */
#if !NTB_DPDK_AT_LEAST(24, 11)
#define rte_kvargs_process_opt rte_kvargs_process
#endif

/* Telemetry */
#if !NTB_DPDK_AT_LEAST(23, 3)
#define rte_tel_data_add_dict_uint rte_tel_data_add_dict_u64
#endif

/* ethdev statistics */
#if NTB_DPDK_AT_LEAST(25, 11)
struct eth_queue_stats;
#define NTB_ETH_STATS_QSTATS_PARAM , struct eth_queue_stats *qstats
/* the per-queue counters of a stats_get callback; NULL: not wanted */
#define NTB_ETH_QSTATS_DECL(var, stats) struct eth_queue_stats *var = qstats
#else
#define NTB_ETH_STATS_QSTATS_PARAM
#define NTB_ETH_QSTATS_DECL(var, stats) struct rte_eth_stats *var = (stats)
#endif

#ifdef RTE_DMA_CFG_FLAG_SILENT
#define NTB_DMA_CONF_SILENT(conf) \
	(((conf)->flags & RTE_DMA_CFG_FLAG_SILENT) != 0)
#else
#define NTB_DMA_CONF_SILENT(conf) ((conf)->enable_silent)
#endif

#endif /* NTB_COMPAT_H */

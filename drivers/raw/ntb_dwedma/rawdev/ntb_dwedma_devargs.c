/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Device arguments shared by every probe of raw_ntb_dwedma (PCI and the
 * virtual link). One table of keys, one parse function per key; a probe
 * may add its own keys (the virtual link's) through extra_keys, so that
 * the whole argument string is parsed, and refused, in one place.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_kvargs.h>

#include "ntb_dwedma_dev.h"
#include "ntb_dwedma_log.h"
#include "ntb_transport_wire.h"

#define ARG_INTR		"intr"
#define ARG_TRANSPORT_MTU	"transport_mtu"
#define ARG_MAX_MW_SIZE		"max_mw_size"
#define ARG_NUM_QPS		"num_qps"
#define ARG_COPY		"copy"
#define ARG_LIVENESS_MS		"liveness_ms"

#define MAX_KEYS		64

/* smallest frame that carries an Ethernet frame of 64 B + the header */
#define MIN_TRANSPORT_MTU	(64 + NTBT_HDR_SIZE)

static const char *const common_keys[] = {
	ARG_INTR,
	ARG_TRANSPORT_MTU,
	ARG_MAX_MW_SIZE,
	ARG_NUM_QPS,
	ARG_COPY,
	ARG_LIVENESS_MS,
	NULL,
};

static int
parse_u64(const char *key, const char *value, uint64_t min, uint64_t max,
	  uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (value == NULL || *value == '\0') {
		NTB_LOG(ERR, "devarg %s needs a value", key);
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(value, &end, 0);
	if (errno != 0 || *end != '\0' || value[0] == '-') {
		NTB_LOG(ERR, "devarg %s=%s is not a number", key, value);
		return -EINVAL;
	}
	if (v < min || v > max) {
		NTB_LOG(ERR, "devarg %s=%s out of range %" PRIu64 "..%" PRIu64,
			key, value, min, max);
		return -ERANGE;
	}
	*out = v;
	return 0;
}

static int
parse_intr(const char *key, const char *value, void *arg)
{
	struct ntb_dwedma_opts *o = arg;

	if (value == NULL) {
		NTB_LOG(ERR, "devarg %s needs a value", key);
		return -EINVAL;
	}
	/* ntb_intr_mode_parse names the key and the choices (once) */
	return ntb_intr_mode_parse(value, &o->intr) < 0 ? -EINVAL : 0;
}

static int
parse_transport_mtu(const char *key, const char *value, void *arg)
{
	struct ntb_dwedma_opts *o = arg;
	uint64_t v;
	int ret;

	ret = parse_u64(key, value, MIN_TRANSPORT_MTU, UINT32_MAX, &v);
	if (ret == 0)
		o->transport_mtu = v;
	return ret;
}

static int
parse_max_mw_size(const char *key, const char *value, void *arg)
{
	struct ntb_dwedma_opts *o = arg;

	return parse_u64(key, value, 4096, UINT64_MAX, &o->max_mw_size);
}

static int
parse_num_qps(const char *key, const char *value, void *arg)
{
	struct ntb_dwedma_opts *o = arg;
	uint64_t v;
	int ret;

	ret = parse_u64(key, value, 1, NTB_DWEDMA_MAX_QP, &v);
	if (ret == 0)
		o->num_qps = v;
	return ret;
}

static int
parse_copy(const char *key, const char *value, void *arg)
{
	struct ntb_dwedma_opts *o = arg;

	if (value != NULL && strcmp(value, "cpu") == 0)
		o->copy = NTBT_COPY_CPU;
	else if (value != NULL && strcmp(value, "dma") == 0)
		o->copy = NTBT_COPY_DMA;
	else if (value != NULL && strcmp(value, "auto") == 0)
		o->copy = NTBT_COPY_AUTO;
	else {
		NTB_LOG(ERR, "devarg %s=%s: expected cpu, dma or auto", key,
			value != NULL ? value : "");
		return -EINVAL;
	}
	return 0;
}

static int
parse_liveness_ms(const char *key, const char *value, void *arg)
{
	struct ntb_dwedma_opts *o = arg;
	uint64_t v;
	int ret;

	ret = parse_u64(key, value, 0, NTB_DWEDMA_LIVENESS_MAX_MS, &v);
	if (ret == 0)
		o->liveness_ms = (uint32_t)v;
	return ret;
}

static const struct {
	const char *key;
	arg_handler_t fn;
} common_handlers[] = {
	{ ARG_INTR, parse_intr },
	{ ARG_TRANSPORT_MTU, parse_transport_mtu },
	{ ARG_MAX_MW_SIZE, parse_max_mw_size },
	{ ARG_NUM_QPS, parse_num_qps },
	{ ARG_COPY, parse_copy },
	{ ARG_LIVENESS_MS, parse_liveness_ms },
};

struct extra_ctx {
	int (*fn)(const char *key, const char *value, void *arg);
	void *arg;
};

static int
parse_extra(const char *key, const char *value, void *arg)
{
	struct extra_ctx *x = arg;

	return x->fn(key, value, x->arg);
}

int
ntb_dwedma_opts_parse(const char *args, struct ntb_dwedma_opts *opts,
		      const char *const *extra_keys,
		      int (*extra_handler)(const char *key, const char *value,
					   void *arg),
		      void *extra_arg)
{
	const char *keys[MAX_KEYS + 1];
	struct extra_ctx x = { extra_handler, extra_arg };
	struct rte_kvargs *kv;
	unsigned int n = 0, i;
	int ret = 0;

	memset(opts, 0, sizeof(*opts));
	opts->intr = NTB_INTR_AUTO;
	opts->liveness_ms = NTB_DWEDMA_LIVENESS_DEFAULT_MS;
	for (i = 0; common_keys[i] != NULL; i++)
		keys[n++] = common_keys[i];
	for (i = 0; extra_keys != NULL && extra_keys[i] != NULL; i++) {
		if (n == MAX_KEYS)
			return -E2BIG;
		keys[n++] = extra_keys[i];
	}
	keys[n] = NULL;
	if (args == NULL || *args == '\0')
		return 0;

	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		NTB_LOG(ERR, "invalid device arguments \"%s\": expected key=value[,key=value...]",
			args);
		return -EINVAL;
	}
	for (i = 0; i < kv->count; i++) {
		unsigned int k;

		for (k = 0; k < n; k++)
			if (strcmp(kv->pairs[i].key, keys[k]) == 0)
				break;
		if (k == n) {
			NTB_LOG(ERR, "unknown device argument \"%s\"",
				kv->pairs[i].key);
			rte_kvargs_free(kv);
			return -EINVAL;
		}
	}
	for (i = 0; i < RTE_DIM(common_handlers) && ret == 0; i++)
		if (rte_kvargs_count(kv, common_handlers[i].key) > 0)
			ret = rte_kvargs_process_opt(kv, common_handlers[i].key,
						 common_handlers[i].fn, opts);
	for (i = 0; ret == 0 && extra_keys != NULL && extra_keys[i]; i++)
		if (rte_kvargs_count(kv, extra_keys[i]) > 0)
			ret = rte_kvargs_process_opt(kv, extra_keys[i],
						 parse_extra, &x);
	rte_kvargs_free(kv);
	return ret < 0 ? -EINVAL : 0;
}

const char *
ntb_dwedma_intr_mode_name(enum ntb_intr_mode mode)
{
	return ntb_intr_mode_name(mode);
}

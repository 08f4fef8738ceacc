/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Devargs of net_ntb_vnet: one table of keys, one parser per key. Every
 * error names the key and the value so the user knows what to fix.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_kvargs.h>
#include <rte_string_fns.h>

#include "ntb_vnet.h"
#include "ntb_vnet_devargs.h"
#include "ntb_vnet_log.h"

static const char * const ntb_vnet_valid_args[] = {
	NTB_VNET_ARG_RAWDEV,
	NTB_VNET_ARG_MODE,
	NTB_VNET_ARG_QUEUES,
	NTB_VNET_ARG_MAC,
	NULL,
};

const char *
ntb_vnet_mode_name(enum ntb_vnet_mode mode)
{
	return mode == NTB_VNET_MODE_INTR ? "intr" : "poll";
}

static int
ntb_vnet_arg_missing_value(const char *key)
{
	VNET_LOG(ERR, "devarg %s: a value is required (%s=...)", key, key);
	return -EINVAL;
}

static int
ntb_vnet_parse_rawdev(const char *key, const char *value, void *opaque)
{
	struct ntb_vnet_args *args = opaque;

	if (value == NULL || value[0] == '\0')
		return ntb_vnet_arg_missing_value(key);
	if (strlen(value) >= sizeof(args->rawdev)) {
		VNET_LOG(ERR, "devarg %s=%s: name longer than %zu characters",
			key, value, sizeof(args->rawdev) - 1);
		return -EINVAL;
	}
	strlcpy(args->rawdev, value, sizeof(args->rawdev));
	return 0;
}

static int
ntb_vnet_parse_mode(const char *key, const char *value, void *opaque)
{
	struct ntb_vnet_args *args = opaque;

	if (value == NULL)
		return ntb_vnet_arg_missing_value(key);
	if (strcmp(value, "poll") == 0) {
		args->mode = NTB_VNET_MODE_POLL;
	} else if (strcmp(value, "intr") == 0) {
		args->mode = NTB_VNET_MODE_INTR;
	} else {
		VNET_LOG(ERR, "devarg %s=%s: expected poll or intr",
			key, value);
		return -EINVAL;
	}
	return 0;
}

static int
ntb_vnet_parse_queues(const char *key, const char *value, void *opaque)
{
	struct ntb_vnet_args *args = opaque;
	unsigned long n;
	char *end;

	if (value == NULL)
		return ntb_vnet_arg_missing_value(key);
	errno = 0;
	n = strtoul(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || value[0] == '-' ||
			n < 1 || n > NTB_VNET_MAX_QUEUES) {
		VNET_LOG(ERR, "devarg %s=%s: expected a number in 1..%u",
			key, value, NTB_VNET_MAX_QUEUES);
		return -EINVAL;
	}
	args->queues = (uint16_t)n;
	return 0;
}

static int
ntb_vnet_parse_mac(const char *key, const char *value, void *opaque)
{
	struct ntb_vnet_args *args = opaque;

	if (value == NULL)
		return ntb_vnet_arg_missing_value(key);
	if (rte_ether_unformat_addr(value, &args->mac) != 0) {
		VNET_LOG(ERR, "devarg %s=%s: expected xx:xx:xx:xx:xx:xx",
			key, value);
		return -EINVAL;
	}
	if (!rte_is_unicast_ether_addr(&args->mac)) {
		VNET_LOG(ERR, "devarg %s=%s: not a unicast address",
			key, value);
		return -EINVAL;
	}
	args->mac_given = true;
	return 0;
}

static const struct {
	const char *key;
	arg_handler_t parse;
} ntb_vnet_parsers[] = {
	{ NTB_VNET_ARG_RAWDEV, ntb_vnet_parse_rawdev },
	{ NTB_VNET_ARG_MODE, ntb_vnet_parse_mode },
	{ NTB_VNET_ARG_QUEUES, ntb_vnet_parse_queues },
	{ NTB_VNET_ARG_MAC, ntb_vnet_parse_mac },
};

int
ntb_vnet_args_parse(const char *name, const char *params,
		struct ntb_vnet_args *args)
{
	struct rte_kvargs *kvlist;
	unsigned int i;
	int ret = 0;

	memset(args, 0, sizeof(*args));
	args->mode = NTB_VNET_MODE_POLL;
	args->queues = 1;

	kvlist = rte_kvargs_parse(params != NULL ? params : "",
			ntb_vnet_valid_args);
	if (kvlist == NULL) {
		VNET_LOG(ERR, "%s: cannot parse devargs \"%s\" (valid keys: "
			NTB_VNET_PARAM_STRING ")", name,
			params != NULL ? params : "");
		return -EINVAL;
	}
	for (i = 0; i < RTE_DIM(ntb_vnet_parsers); i++) {
		if (rte_kvargs_count(kvlist, ntb_vnet_parsers[i].key) > 1) {
			VNET_LOG(ERR, "%s: devarg %s given more than once",
				name, ntb_vnet_parsers[i].key);
			ret = -EINVAL;
			break;
		}
		if (rte_kvargs_process_opt(kvlist, ntb_vnet_parsers[i].key,
				ntb_vnet_parsers[i].parse, args) < 0) {
			ret = -EINVAL;
			break;
		}
	}
	rte_kvargs_free(kvlist);
	if (ret == 0 && args->rawdev[0] == '\0') {
		VNET_LOG(ERR, "%s: devarg " NTB_VNET_ARG_RAWDEV
			" is required (" NTB_VNET_ARG_RAWDEV "=<rawdev name>)",
			name);
		ret = -EINVAL;
	}
	return ret;
}

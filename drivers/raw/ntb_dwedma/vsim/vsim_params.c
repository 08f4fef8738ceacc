/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Devargs of the virtual link: one table of keys and one parser per key
 * (vsim_params_set). The profile's defaults and the layout checks run
 * at vsim_params_validate (vsim_profile.c, vsim_params_check.c).
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci_ep_dma_abi.h"
#include "vsim_params_internal.h"
#include "vsim_priv.h"

#define VSIM_DEFAULT_PERIOD_US	VNTB_EP_CMD_PERIOD_US
#define VSIM_DEFAULT_TIMEOUT_MS	10000

const char *const vsim_params_keys[] = {
	"role", "link", "profile", "num_mws",
	"mw1", "mw2", "mw3", "mw4",
	"mw1_bar", "mw2_bar", "mw3_bar", "mw4_bar",
	"mw1_offset", "mw2_offset", "mw3_offset", "mw4_offset",
	"ctrl_bar", "db_bar", "spad_count", "db_count", "msi_interrupts",
	"bar0_size", "bar1_size", "bar2_size", "bar3_size", "bar4_size",
	"bar5_size", "cmd_period_us", "connect_timeout_ms",
	"dma_num_chans", "dma_bar", "dma_offset", NULL,
};

int
vsim_params_fail(struct vsim_params *p, const char *fmt, ...)
{
	va_list ap;

	/* the caller logs p->err once, with the device's name */
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

const char *
vsim_params_error(const struct vsim_params *p)
{
	return p->err;
}

void
vsim_params_init(struct vsim_params *p)
{
	memset(p, 0, sizeof(*p));
	p->profile = VSIM_PROFILE_RCAR_S4;
	p->cmd_period_us = VSIM_DEFAULT_PERIOD_US;
	p->connect_timeout_ms = VSIM_DEFAULT_TIMEOUT_MS;
}

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (s == NULL || *s == '\0' || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

static int
parse_bar(const char *s, int *out)
{
	uint64_t v;

	if (s != NULL && strcmp(s, "-1") == 0) {
		*out = VNTB_NO_BAR;
		return 0;
	}
	if (parse_u64(s, &v) < 0 || v >= VNTB_PCI_BARS)
		return -1;
	*out = (int)v;
	return 0;
}

static int
parse_uint(const char *s, unsigned int *out, uint64_t max)
{
	uint64_t v;

	if (parse_u64(s, &v) < 0 || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

int
vsim_params_set(struct vsim_params *p, const char *key, const char *value)
{
	unsigned int k, i;
	uint64_t v;
	int rc = 0;

	for (k = 0; k < K_COUNT; k++)
		if (strcmp(key, vsim_params_keys[k]) == 0)
			break;
	if (k == K_COUNT)
		return vsim_params_fail(p, "%s: unknown key", key);
	if (value == NULL)
		return vsim_params_fail(p, "%s: missing value", key);

	switch (k) {
	case K_ROLE:
		if (strcmp(value, "ep") == 0)
			p->role = VSIM_ROLE_EP;
		else if (strcmp(value, "rc") == 0)
			p->role = VSIM_ROLE_RC;
		else
			return vsim_params_fail(p,
				"role: '%s' is not ep or rc", value);
		break;
	case K_LINK:
		if (*value == '\0' || strlen(value) >= sizeof(p->link))
			return vsim_params_fail(p,
				"link: socket path empty or longer than %zu",
				sizeof(p->link) - 1);
		strcpy(p->link, value);
		break;
	case K_PROFILE:
		for (i = 0; i < VSIM_PROFILE_COUNT; i++)
			if (strcmp(value, vsim_profile_name(i)) == 0)
				break;
		if (i == VSIM_PROFILE_COUNT)
			return vsim_params_fail(p,
				"profile: unknown profile '%s' (rcar-s4|mx8|j721e)",
				value);
		p->profile = i;
		break;
	case K_NUM_MWS:
		rc = parse_uint(value, &p->num_mws, NTB_MAX_MW);
		break;
	case K_MW1: case K_MW2: case K_MW3: case K_MW4:
		rc = parse_u64(value, &p->mw_size[k - K_MW1]);
		break;
	case K_MW1_BAR: case K_MW2_BAR: case K_MW3_BAR: case K_MW4_BAR:
		rc = parse_bar(value, &p->mw_bar[k - K_MW1_BAR]);
		break;
	case K_MW1_OFF: case K_MW2_OFF: case K_MW3_OFF: case K_MW4_OFF:
		rc = parse_u64(value, &p->mw_offset[k - K_MW1_OFF]);
		break;
	case K_CTRL_BAR:
		rc = parse_bar(value, &p->ctrl_bar);
		break;
	case K_DB_BAR:
		rc = parse_bar(value, &p->db_bar);
		break;
	case K_SPAD_COUNT:
		rc = parse_uint(value, &p->spad_count, UINT32_MAX);
		break;
	case K_DB_COUNT:
		rc = parse_uint(value, &p->db_count, UINT32_MAX);
		break;
	case K_MSI:
		rc = parse_uint(value, &p->msi_interrupts, UINT32_MAX);
		break;
	case K_BAR0_SIZE: case K_BAR1_SIZE: case K_BAR2_SIZE:
	case K_BAR3_SIZE: case K_BAR4_SIZE: case K_BAR5_SIZE:
		rc = parse_u64(value, &v);
		p->bar_size[k - K_BAR0_SIZE] = v;
		break;
	case K_DMA_NUM_CHANS:
		rc = parse_uint(value, &p->dma_num_chans, PCI_EP_DMA_MAX_CHANS);
		break;
	case K_DMA_BAR:
		rc = parse_bar(value, &p->dma_bar);
		break;
	case K_DMA_OFFSET:
		rc = parse_u64(value, &p->dma_offset);
		break;
	case K_CMD_PERIOD:
		rc = parse_uint(value, &p->cmd_period_us, 10000000);
		break;
	case K_CONNECT_TIMEOUT:
		rc = parse_uint(value, &p->connect_timeout_ms, 3600000);
		break;
	}
	if (rc < 0)
		return vsim_params_fail(p, "%s: bad value '%s'", key, value);
	p->set_mask |= RTE_BIT64(k);
	return 0;
}

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_memzone.h>

#include "ntb_test_usage.h"

unsigned int
ntb_test_count_fds(void)
{
	unsigned int n = 0;
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

bool
ntb_test_maps_ignored(const char *line)
{
#ifdef __SANITIZE_ADDRESS__
	unsigned long inode;
	int pos = 0;

	if (sscanf(line, "%*s %*s %*s %*s %lu %n", &inode, &pos) == 1 &&
	    inode == 0 && line[pos] == '\0')
		return true;
#else
	RTE_SET_USED(line);
#endif
	return false;
}

struct mz_count {
	const char *prefix;
	unsigned int n;
};

static void
mz_count(const struct rte_memzone *mz, void *arg)
{
	struct mz_count *c = arg;

	if (c->prefix == NULL ||
	    strncmp(mz->name, c->prefix, strlen(c->prefix)) == 0)
		c->n++;
}

unsigned int
ntb_test_count_memzones(const char *prefix)
{
	struct mz_count c = { .prefix = prefix, .n = 0 };

	rte_memzone_walk(mz_count, &c);
	return c.n;
}

void
ntb_test_usage_get(struct ntb_test_usage *u)
{
	char line[512];
	FILE *f;

	u->fds = ntb_test_count_fds();
	u->mzs = ntb_test_count_memzones(NULL);
	u->maps = 0;
	u->memfd_maps = 0;
	f = fopen("/proc/self/maps", "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		u->maps += !ntb_test_maps_ignored(line);
		if (strstr(line, "memfd:") != NULL)
			u->memfd_maps++;
	}
	fclose(f);
}

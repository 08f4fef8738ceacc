/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * The PCI driver's choice of mapping for the window BARs, on a synthetic
 * sysfs device directory: this machine has no VFIO, so the PCI probe
 * test (tests/clients/test_pci_probe.py) stops at the binding check,
 * before any BAR is mapped; the decision is therefore tested here.
 * A regular file stands for resourceN_wc: the mapping must be that file
 * (bytes written through it are read back from the file), and the one
 * log line must name the BAR and the mapping or the reason for falling
 * back to the uncached VFIO mapping.
 */

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_log.h>

#include "ntb_dwedma_log.h"
#include "ntb_dwedma_pci_wc.h"
#include "ntb_test.h"

/* board rows' BAR maps */
#define MAP_J721E	(&vntb_platforms[VNTB_PLATFORM_J721E].map)
#define MAP_MX8	(&vntb_platforms[VNTB_PLATFORM_MX8].map)
#define MAP_RCAR_S4	(&vntb_platforms[VNTB_PLATFORM_RCAR_S4].map)

#define BAR_LEN	(64u << 10)

static char dir[PATH_MAX];
static FILE *log_f;

static void
put_resource(int bar, const char *suffix, size_t size)
{
	char path[PATH_MAX + 32];
	int fd;

	snprintf(path, sizeof(path), "%s/resource%d%s", dir, bar, suffix);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, size) != 0) {
		perror(path);
		exit(EXIT_FAILURE);
	}
	close(fd);
}

/* Log written since the last call (one test's lines). */
static const char *
log_take(void)
{
	static char buf[4096];
	static long pos;
	size_t n;

	fflush(log_f);
	fseek(log_f, pos, SEEK_SET);
	n = fread(buf, 1, sizeof(buf) - 1, log_f);
	buf[n] = '\0';
	pos += (long)n;
	fseek(log_f, 0, SEEK_END);
	return buf;
}

static int
test_prefetchable_bar_is_write_combined(void)
{
	char path[PATH_MAX + 32], back[256];
	uint8_t *va;
	const char *log;
	unsigned int i;
	int fd;

	put_resource(2, "", BAR_LEN);
	put_resource(2, "_wc", BAR_LEN);
	log_take();
	va = ntb_pci_wc_map("0000:03:00.0", dir, 2, BAR_LEN);
	log = log_take();
	NTB_TEST_ASSERT(va != NULL, "no mapping; log: %s", log);
	NTB_TEST_ASSERT(strstr(log, "0000:03:00.0: BAR2 (memory window): write-combined (resource2_wc, 65536 bytes)") != NULL,
			"log: %s", log);
	for (i = 0; i < sizeof(back); i++)
		va[BAR_LEN - sizeof(back) + i] = (uint8_t)(i * 7 + 1);
	ntb_pci_wc_unmap(va, BAR_LEN);
	snprintf(path, sizeof(path), "%s/resource2_wc", dir);
	fd = open(path, O_RDONLY);
	NTB_TEST_ASSERT(fd >= 0, "reopen %s", path);
	NTB_TEST_ASSERT(pread(fd, back, sizeof(back), BAR_LEN - sizeof(back)) ==
			(ssize_t)sizeof(back), "read back");
	close(fd);
	for (i = 0; i < sizeof(back); i++)
		NTB_TEST_ASSERT((uint8_t)back[i] == (uint8_t)(i * 7 + 1),
				"byte %u: 0x%02x", i, (uint8_t)back[i]);
	return 0;
}

static int
test_no_wc_file_falls_back(void)
{
	const char *log;
	void *va;

	put_resource(3, "", BAR_LEN);	/* not prefetchable: no _wc */
	log_take();
	va = ntb_pci_wc_map("0000:03:00.0", dir, 3, BAR_LEN);
	log = log_take();
	NTB_TEST_ASSERT(va == NULL, "mapped without resource3_wc");
	NTB_TEST_ASSERT(strstr(log, "0000:03:00.0: BAR3 (memory window): uncached (VFIO): no resource3_wc (BAR not prefetchable or no write-combining on this platform)") != NULL,
			"log: %s", log);
	NTB_TEST_ASSERT(strstr(log, "write-combined (") == NULL, "log: %s", log);
	return 0;
}

static int
test_short_wc_file_falls_back(void)
{
	const char *log;
	void *va;

	put_resource(5, "_wc", BAR_LEN / 2);
	log_take();
	va = ntb_pci_wc_map("0000:03:00.0", dir, 5, BAR_LEN);
	log = log_take();
	NTB_TEST_ASSERT(va == NULL, "mapped a file shorter than the BAR");
	NTB_TEST_ASSERT(strstr(log, "BAR5 (memory window): uncached (VFIO): resource5_wc has 32768 bytes, the BAR 65536") != NULL,
			"log: %s", log);
	return 0;
}

/* Register BARs (ctrl, scratchpads, doorbells) and the interrupt window
 * (last of several MWs) never go write-combined, even when they share the
 * BAR with a data window; windows the EP does not offer do not count.
 */
/* R-Car as mainline ntb_hw_epf maps it: MW1 only (the board row adds MW2) */
static const struct vntb_barmap rcar_mainline = {
	.name = "rcar",
	.bar = { 0, 0, 4, 2, VNTB_NO_BAR, VNTB_NO_BAR, VNTB_NO_BAR },
};

static int
test_only_window_bars(void)
{
	static const struct {
		const struct vntb_barmap *map;
		unsigned int num_mws;
		const char *mw_only;	/* per BAR 0..5 */
	} want[] = {
		{ MAP_J721E, 4, "000110" },	/* DB shares BAR2 */
		{ MAP_J721E, 2, "000000" },	/* MW2 (BAR3): intr */
		{ MAP_J721E, 1, "000000" },	/* MW1 with DB */
		{ MAP_MX8, 2, "000010" },
		{ MAP_MX8, 1, "000010" },
		{ &rcar_mainline, 1, "001000" },
		{ MAP_RCAR_S4, 1, "001000" },
		/* seed series: the interrupt window follows MW1 in BAR2 */
		{ MAP_RCAR_S4, 2, "000000" },
	};
	unsigned int m;
	int bar;

	for (m = 0; m < RTE_DIM(want); m++)
		for (bar = 0; bar < VNTB_PCI_BARS; bar++)
			NTB_TEST_ASSERT(ntb_pci_bar_is_mw_only(want[m].map, bar,
							      want[m].num_mws, -1) ==
					(want[m].mw_only[bar] == '1'),
					"%s num_mws %u BAR%d", want[m].map->name,
					want[m].num_mws, bar);
	NTB_TEST_ASSERT(!ntb_pci_bar_is_mw_only(NULL, 2, 1, -1), "NULL map");
	NTB_TEST_ASSERT(!ntb_pci_bar_is_mw_only(&rcar_mainline, -1, 1, -1),
			"BAR -1");
	/* the EP's DMA slice (eDMA registers, LL memory) in a window BAR */
	NTB_TEST_ASSERT(ntb_pci_bar_is_mw_only(MAP_MX8, 4, 1, 2) &&
			!ntb_pci_bar_is_mw_only(MAP_MX8, 4, 1, 4),
			"DMA slice BAR must stay uncached");
	return 0;
}

int
main(void)
{
	char cmd[PATH_MAX + 16];
	int ret;

	snprintf(dir, sizeof(dir), "%s/ntb-pci-wc-XXXXXX",
		 access("/run", W_OK) == 0 ? "/run" : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	log_f = tmpfile();
	if (log_f == NULL || rte_openlog_stream(log_f) != 0)
		return EXIT_FAILURE;
	rte_log_set_level(ntb_dwedma_logtype, RTE_LOG_DEBUG);
	NTB_TEST_RUN(test_prefetchable_bar_is_write_combined);
	NTB_TEST_RUN(test_no_wc_file_falls_back);
	NTB_TEST_RUN(test_short_wc_file_falls_back);
	NTB_TEST_RUN(test_only_window_bars);
	rte_openlog_stream(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	ret = ntb_test_done();
	return ret;
}

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Write-combined memory windows for the PCI driver. The kernel's
 * ntb_hw_epf maps peer windows with ioremap_wc; vfio-pci (6.1,
 * vfio_pci_core_mmap) maps every BAR with pgprot_noncached, so a CPU
 * copy into the window is one uncached store at a time. The kernel
 * offers a write-combined mapping of a prefetchable BAR as the sysfs
 * file resourceN_wc (drivers/pci/pci-sysfs.c, pci_create_resource_files:
 * only with arch_can_pci_mmap_wc() and IORESOURCE_PREFETCH), the file
 * DPDK's own uio path opens for RTE_PCI_DRV_WC_ACTIVATE (22.11,
 * pci_uio_map_resource_by_index). VFIO stays for config space and MSI.
 *
 * Where the platform refuses, the window keeps the VFIO mapping and one
 * line says which BAR and why. Known refusals: no resourceN_wc (BAR not
 * prefetchable, or no WC on the architecture); mmap EINVAL when the
 * kernel treats the claimed region as exclusive (vfio-pci requested it,
 * and the kernel is built with CONFIG_IO_STRICT_DEVMEM unless booted
 * with iomem=relaxed: pci_mmap_resource -> iomem_is_exclusive); EPERM
 * under kernel lockdown or without CAP_SYS_RAWIO.
 *
 * Ordering: the transport fences with rte_wmb()/rte_mb() (sfence / dmb)
 * before it publishes a slot, which also drains write-combining buffers.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ntb_dwedma_log.h"
#include "ntb_dwedma_pci_wc.h"

bool
ntb_pci_bar_is_mw_only(const struct vntb_barmap *map, int bar,
			unsigned int num_mws, int dma_bar)
{
	bool mw = false;
	unsigned int idx;
	int r;

	if (map == NULL || bar < 0 || bar == dma_bar)
		return false;
	for (r = 0; r < VNTB_BAR_ROLE_NUM; r++) {
		if (map->bar[r] != bar)
			continue;
		if (r < VNTB_BAR_MW1)
			return false;	/* ctrl, scratchpads or doorbells */
		idx = (unsigned int)(r - VNTB_BAR_MW1);
		if (idx >= num_mws)
			continue;	/* not offered by the EP: unused */
		/* interrupt window: last MW of several (vntb_rc_intr_mw()) */
		if (num_mws > 1 && idx == num_mws - 1)
			return false;
		mw = true;
	}
	return mw;
}

void *
ntb_pci_wc_map(const char *name, const char *dev_dir, int bar, size_t len)
{
	char path[PATH_MAX];
	struct stat st;
	void *va;
	int fd, err;

	if (snprintf(path, sizeof(path), "%s/resource%d_wc", dev_dir, bar) >=
	    (int)sizeof(path)) {
		NTB_LOG(NOTICE, "%s: BAR%d (memory window): uncached (VFIO): sysfs path too long",
			name, bar);
		return NULL;
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		if (err == ENOENT)
			NTB_LOG(NOTICE, "%s: BAR%d (memory window): uncached (VFIO): no resource%d_wc (BAR not prefetchable or no write-combining on this platform)",
				name, bar, bar);
		else
			NTB_LOG(NOTICE, "%s: BAR%d (memory window): uncached (VFIO): cannot open %s: %s",
				name, bar, path, strerror(err));
		return NULL;
	}
	/* a sysfs resource file's size is the BAR's size */
	if (fstat(fd, &st) == 0 && st.st_size > 0 &&
	    (size_t)st.st_size < len) {
		NTB_LOG(NOTICE, "%s: BAR%d (memory window): uncached (VFIO): resource%d_wc has %lld bytes, the BAR %zu",
			name, bar, bar, (long long)st.st_size, len);
		close(fd);
		return NULL;
	}
	va = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	err = errno;
	close(fd);
	if (va == MAP_FAILED) {
		NTB_LOG(NOTICE, "%s: BAR%d (memory window): uncached (VFIO): mmap of resource%d_wc: %s%s",
			name, bar, bar, strerror(err),
			err == EINVAL ? " (region claimed by vfio-pci and the kernel has CONFIG_IO_STRICT_DEVMEM: boot with iomem=relaxed)" :
			err == EPERM ? " (kernel lockdown or no CAP_SYS_RAWIO)" : "");
		return NULL;
	}
	NTB_LOG(NOTICE, "%s: BAR%d (memory window): write-combined (resource%d_wc, %zu bytes)",
		name, bar, bar, len);
	return va;
}

void
ntb_pci_wc_unmap(void *va, size_t len)
{
	if (va != NULL)
		munmap(va, len);
}

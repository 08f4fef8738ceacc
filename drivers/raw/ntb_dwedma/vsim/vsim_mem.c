/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

/*
 * Shared memory of the link: the local DPDK memory as a table of
 * {IOVA range -> file, offset} (like vhost-user memory tables), the
 * peer's table mapped into our address space, and BAR windows placed at
 * their offset in a reserved VA range with MAP_FIXED.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_memory.h>

#include "ntb_dwedma_log.h"
#include "vsim_priv.h"

struct walk_arg {
	struct vsim_memtab *t;
	int err;
};

static int
add_file(struct vsim_memtab *t, int fd)
{
	unsigned int i;

	for (i = 0; i < t->nb_files; i++)
		if (t->fds[i] == fd)
			return i;
	if (t->nb_files == VSIM_PROTO_MAX_FILES)
		return -ENOSPC;
	t->fds[t->nb_files] = fd;
	return t->nb_files++;
}

/* One memseg: extend the last region when file, IOVA and VA continue. */
static int
walk_seg(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
	 void *arg)
{
	struct walk_arg *wa = arg;
	struct vsim_memtab *t = wa->t;
	size_t off;
	int fd, idx;
	uint64_t iova;

	if (msl->external)
		return 0;
	/*
	 * The peer maps our memory in 4 KiB windows (BARs, memory window
	 * targets): hugepage-backed files cannot be mapped at that grain.
	 */
	if (msl->page_sz != VSIM_PAGE_SIZE) {
		wa->err = -EOPNOTSUPP;
		return -1;
	}
	fd = rte_memseg_get_fd_thread_unsafe(ms);
	if (fd < 0 || rte_memseg_get_fd_offset_thread_unsafe(ms, &off) < 0) {
		wa->err = -ENOTSUP;	/* memory without a file to share */
		return -1;
	}
	iova = ms->iova == RTE_BAD_IOVA ? (uint64_t)ms->addr_64 : ms->iova;
	idx = add_file(t, fd);
	if (idx < 0) {
		wa->err = idx;
		return -1;
	}
	if (t->nb_regions > 0) {
		typeof(t->r[0]) *last = &t->r[t->nb_regions - 1];

		if (last->fd_idx == (uint32_t)idx &&
		    last->iova + last->len == iova &&
		    last->fd_off + last->len == off &&
		    last->va + last->len == (uint8_t *)ms->addr) {
			last->len += ms->len;
			return 0;
		}
	}
	if (t->nb_regions == VSIM_PROTO_MAX_REGIONS) {
		wa->err = -ENOSPC;
		return -1;
	}
	t->r[t->nb_regions].iova = iova;
	t->r[t->nb_regions].len = ms->len;
	t->r[t->nb_regions].fd_off = off;
	t->r[t->nb_regions].fd_idx = idx;
	t->r[t->nb_regions].va = ms->addr;
	t->nb_regions++;
	return 0;
}

int
vsim_memtab_local(struct vsim_memtab *t)
{
	struct walk_arg wa = { .t = t, .err = 0 };

	memset(t, 0, sizeof(*t));
	if (rte_memseg_walk(walk_seg, &wa) < 0 || wa.err != 0) {
		if (wa.err == -EOPNOTSUPP)
			NTB_LOG(ERR, "cannot share DPDK memory: the virtual link needs 4 KiB pages: run EAL with --no-huge");
		else
			NTB_LOG(ERR, "cannot share DPDK memory (%d): the virtual link needs EAL memory in memfd files: run EAL with --no-huge (and not --in-memory)",
				wa.err);
		return wa.err != 0 ? wa.err : -EIO;
	}
	return 0;
}

void
vsim_memtab_to_wire(const struct vsim_memtab *t, struct vsim_mem_table *w)
{
	unsigned int i;

	memset(w, 0, sizeof(*w));
	w->nb_files = t->nb_files;
	w->nb_regions = t->nb_regions;
	for (i = 0; i < t->nb_regions; i++) {
		w->regions[i].iova = t->r[i].iova;
		w->regions[i].len = t->r[i].len;
		w->regions[i].fd_offset = t->r[i].fd_off;
		w->regions[i].fd_idx = t->r[i].fd_idx;
	}
}

/* The peer's table: checked, fds taken over (caller passes ownership). */
int
vsim_memtab_from_wire(struct vsim_memtab *t, const struct vsim_mem_table *w,
		      const int *fds, unsigned int nb_fds)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	if (w->nb_files > VSIM_PROTO_MAX_FILES || w->nb_files > nb_fds ||
	    w->nb_regions > VSIM_PROTO_MAX_REGIONS) {
		NTB_LOG(ERR, "peer memory table: %u files, %u regions, %u fds",
			w->nb_files, w->nb_regions, nb_fds);
		return -EPROTO;
	}
	for (i = 0; i < w->nb_regions; i++) {
		const struct vsim_mem_region *r = &w->regions[i];

		if (r->fd_idx >= w->nb_files || r->len == 0 ||
		    r->len % VSIM_PAGE_SIZE != 0 ||
		    r->fd_offset % VSIM_PAGE_SIZE != 0 ||
		    r->iova % VSIM_PAGE_SIZE != 0 ||
		    r->iova + r->len < r->iova) {
			NTB_LOG(ERR, "peer memory region %u invalid", i);
			return -EPROTO;
		}
		t->r[i].iova = r->iova;
		t->r[i].len = r->len;
		t->r[i].fd_off = r->fd_offset;
		t->r[i].fd_idx = r->fd_idx;
	}
	t->nb_regions = w->nb_regions;
	t->nb_files = w->nb_files;
	memcpy(t->fds, fds, sizeof(int) * w->nb_files);
	t->owns_fds = true;
	return 0;
}

/*
 * A peer file must hold every byte its regions name: a mapping past the
 * end of a file raises SIGBUS on first touch. Where the file allows
 * sealing, F_SEAL_SHRINK makes that hold for good (the peer can no
 * longer truncate it). DPDK's --no-huge memfd is created without
 * MFD_ALLOW_SEALING, so its size is checked here only: a peer that
 * truncates it later can still fault this process (see the guide).
 */
static int
check_files(struct vsim_memtab *t)
{
	unsigned int i, r;

	t->nb_sealed = 0;
	for (i = 0; i < t->nb_files; i++) {
		struct stat st;
		int seals;

		if (fstat(t->fds[i], &st) < 0 || !S_ISREG(st.st_mode)) {
			NTB_LOG(ERR, "peer memory file %u is not a regular file",
				i);
			return -EPROTO;
		}
		seals = fcntl(t->fds[i], F_GET_SEALS);
		if (seals >= 0 && !(seals & F_SEAL_SHRINK) &&
		    !(seals & F_SEAL_SEAL) &&
		    fcntl(t->fds[i], F_ADD_SEALS, F_SEAL_SHRINK) == 0)
			seals |= F_SEAL_SHRINK;
		if (seals >= 0 && (seals & F_SEAL_SHRINK))
			t->nb_sealed++;
		/* the size is read after sealing: it cannot shrink below it */
		if (fstat(t->fds[i], &st) < 0)
			return -errno;
		for (r = 0; r < t->nb_regions; r++) {
			if (t->r[r].fd_idx != i)
				continue;
			if (t->r[r].fd_off > (uint64_t)st.st_size ||
			    t->r[r].len > (uint64_t)st.st_size - t->r[r].fd_off) {
				NTB_LOG(ERR, "peer memory region %u: file offset 0x%" PRIx64
					" + 0x%" PRIx64 " is past the end of its file (0x%" PRIx64 " bytes)",
					r, t->r[r].fd_off, t->r[r].len,
					(uint64_t)st.st_size);
				return -EPROTO;
			}
		}
	}
	if (t->nb_sealed < t->nb_files)
		NTB_LOG(INFO, "peer memory: %u of %u files sealed against shrinking",
			t->nb_sealed, t->nb_files);
	return 0;
}

int
vsim_memtab_map(struct vsim_memtab *t)
{
	unsigned int i;
	int rc;

	rc = check_files(t);
	if (rc < 0)
		return rc;
	for (i = 0; i < t->nb_regions; i++) {
		void *va = mmap(NULL, t->r[i].len, PROT_READ | PROT_WRITE,
				MAP_SHARED, t->fds[t->r[i].fd_idx],
				t->r[i].fd_off);

		if (va == MAP_FAILED) {
			NTB_LOG(ERR, "mmap of peer region %u failed: %s", i,
				strerror(errno));
			return -errno;
		}
		t->r[i].va = va;
	}
	return 0;
}

/* Drop the peer table: mappings and fds. */
void
vsim_memtab_release(struct vsim_memtab *t)
{
	unsigned int i;

	if (!t->owns_fds)
		return;
	for (i = 0; i < t->nb_regions; i++)
		if (t->r[i].va != NULL)
			munmap(t->r[i].va, t->r[i].len);
	vsim_close_fds(t->fds, t->nb_files);
	memset(t, 0, sizeof(*t));
}

static int
find_region(const struct vsim_memtab *t, uint64_t iova, size_t len)
{
	unsigned int i;

	if (len == 0 || iova + len < iova)
		return -1;
	for (i = 0; i < t->nb_regions; i++)
		if (iova >= t->r[i].iova && iova - t->r[i].iova <= t->r[i].len &&
		    len <= t->r[i].len - (iova - t->r[i].iova))
			return i;
	return -1;
}

void *
vsim_memtab_va(const struct vsim_memtab *t, uint64_t iova, size_t len)
{
	int i = find_region(t, iova, len);

	if (i < 0 || t->r[i].va == NULL)
		return NULL;
	return t->r[i].va + (iova - t->r[i].iova);
}

int
vsim_memtab_find(const struct vsim_memtab *t, uint64_t iova, size_t len,
		 int *fd, uint64_t *fd_off)
{
	int i = find_region(t, iova, len);

	if (i < 0)
		return -ERANGE;
	*fd = t->fds[t->r[i].fd_idx];
	*fd_off = t->r[i].fd_off + (iova - t->r[i].iova);
	return 0;
}

void *
vsim_va_reserve(size_t len)
{
	void *va = mmap(NULL, RTE_ALIGN_CEIL(len, VSIM_PAGE_SIZE), PROT_NONE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return va == MAP_FAILED ? NULL : va;
}

/*
 * Map [va, va + len) onto fd at fd_off, or (fd < 0) onto fresh shared
 * zero memory: the staging buffer of an untranslated window, or what is
 * left after the peer died, so stray accesses never fault.
 */
int
vsim_va_map(void *va, size_t len, int fd, uint64_t fd_off)
{
	int flags = MAP_SHARED | MAP_FIXED;
	void *r;

	len = RTE_ALIGN_CEIL(len, VSIM_PAGE_SIZE);
	if (fd < 0)
		flags |= MAP_ANONYMOUS;
	r = mmap(va, len, PROT_READ | PROT_WRITE, flags, fd < 0 ? -1 : fd,
		 fd < 0 ? 0 : (off_t)fd_off);
	if (r == MAP_FAILED) {
		NTB_LOG(ERR, "window mmap at %p len 0x%zx: %s", va, len,
			strerror(errno));
		return -errno;
	}
	return 0;
}

/* A window: map_len bytes onto the table at iova, the rest staging. */
int
vsim_va_map_iova(const struct vsim_memtab *t, void *va, size_t len,
		 uint64_t iova, size_t map_len)
{
	uint64_t off;
	int fd, rc;

	map_len = RTE_MIN(RTE_ALIGN_CEIL(map_len, VSIM_PAGE_SIZE),
			  RTE_ALIGN_CEIL(len, VSIM_PAGE_SIZE));
	if (map_len > 0) {
		if (iova % VSIM_PAGE_SIZE != 0 ||
		    vsim_memtab_find(t, iova, map_len, &fd, &off) < 0)
			return -ERANGE;
		rc = vsim_va_map(va, map_len, fd, off);
		if (rc < 0)
			return rc;
	}
	if (RTE_ALIGN_CEIL(len, VSIM_PAGE_SIZE) > map_len)
		return vsim_va_map((uint8_t *)va + map_len, len - map_len,
				   -1, 0);
	return 0;
}

/* After the peer died: keep the VAs valid but cut them off its memory. */
void
vsim_memtab_neutralize(struct vsim_memtab *t)
{
	unsigned int i;

	if (!t->owns_fds)
		return;
	for (i = 0; i < t->nb_regions; i++)
		if (t->r[i].va != NULL)
			vsim_va_map(t->r[i].va, t->r[i].len, -1, 0);
}

/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 dpdk-vntb developers
 */

#ifndef IVSHM_CLIENT_H
#define IVSHM_CLIENT_H

/**
 * Client of an ivshmem server (QEMU docs/specs/ivshmem-spec.rst): the
 * host RC is one more peer next to the guest's ivshmem-doorbell device.
 *
 * Every server message is a little-endian int64 with at most one file
 * descriptor (SCM_RIGHTS). On connect: version (0), our peer id, -1 with
 * the shared-memory fd, then, for each peer already there, its id once
 * per vector with an eventfd each (the fds to interrupt it), and last
 * our own id once per vector: the eventfds our vectors fire on (vector v
 * is the v-th one received). Later: a peer id with an fd (a new peer's
 * vector), or without one (that peer is gone).
 *
 * The server is trusted no more than the guest: counts are bounded,
 * every message is checked, and whatever was received is closed when
 * the handshake fails.
 */

#include <stdbool.h>
#include <stdint.h>

#define IVSHM_MAX_VECTORS	64	/* own eventfds kept */
#define IVSHM_MAX_PEERS		16	/* other peers tracked */
#define IVSHM_MAX_PEER_ID	65535	/* ids are 16-bit (doorbell format) */

struct ivshm_client {
	int sock;
	int64_t own_id;
	int shm_fd;
	unsigned int nb_vectors;
	int vec_fd[IVSHM_MAX_VECTORS];
	/* other peers: id and the vector fds seen (the fds are closed:
	 * the RC never interrupts the EP, vNTB polls its doorbells)
	 */
	unsigned int nb_peers;
	int64_t peer_id[IVSHM_MAX_PEERS];
	unsigned int peer_vectors[IVSHM_MAX_PEERS];
	uint64_t extra_vectors;		/* own vectors beyond the max, closed */
};

enum ivshm_client_ev {
	IVSHM_EV_NONE = 0,	/**< nothing (more) to read now */
	IVSHM_EV_PEER_VECTOR,	/**< a peer's vector fd (peer new or growing) */
	IVSHM_EV_PEER_GONE,	/**< a peer disconnected */
	IVSHM_EV_OWN_VECTOR,	/**< one of our vectors (only at connect) */
};

/**
 * Connect to the server at `path` and run the connect sequence: version,
 * id, shm fd, then the peer and own vector messages until no message
 * came for settle_ms (overall bounded by wait_ms). 0 or a negative errno,
 * every failure logged naming what the server did wrong; nothing is left
 * open on failure.
 */
int ivshm_client_connect(struct ivshm_client *c, const char *path,
			 unsigned int settle_ms, unsigned int wait_ms);

/**
 * Read one pending message without blocking. Returns the event (its
 * peer in *peer), IVSHM_EV_NONE when nothing is pending, or a negative
 * errno when the server closed the connection (-ECONNRESET) or sent
 * garbage (-EPROTO, logged).
 */
int ivshm_client_poll(struct ivshm_client *c, int64_t *peer);

/** Close every fd (own vectors, shm, socket). */
void ivshm_client_close(struct ivshm_client *c);

#endif /* IVSHM_CLIENT_H */

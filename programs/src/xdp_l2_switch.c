// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_l2_switch: a learning Ethernet switch between the interfaces listed in
 * a devmap (keyed by ifindex). Source MACs are learned into a hash table
 * (MAC -> ingress port); frames to a known unicast MAC are redirected to
 * that port, everything else is flooded to all ports except the ingress one.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#define MAX_PORTS	256	/* ifindex range the devmap covers */

struct mac_addr {
	__u8 addr[ETH_ALEN];
};

struct fdb_entry {
	__u32 port;		/* ifindex the MAC was last seen on */
	__u32 pad;
	__u64 last_seen_ns;	/* lets userspace age out stale entries */
};

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, MAX_PORTS);
	__type(key, __u32);	/* ifindex */
	__type(value, __u32);	/* ifindex to transmit on */
} ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct mac_addr);
	__type(value, struct fdb_entry);
} fdb SEC(".maps");

static __always_inline void learn(const __u8 *src, __u32 in_port)
{
	struct mac_addr key;
	struct fdb_entry *e, fresh = {};
	__u64 now = bpf_ktime_get_ns();

	__builtin_memcpy(key.addr, src, ETH_ALEN);
	e = bpf_map_lookup_elem(&fdb, &key);
	if (e && e->port == in_port) {
		e->last_seen_ns = now;	/* refresh in place, no map update */
		return;
	}
	fresh.port = in_port;
	fresh.last_seen_ns = now;
	bpf_map_update_elem(&fdb, &key, &fresh, BPF_ANY);
}

SEC("xdp")
int xdp_l2_switch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 in_port = ctx->ingress_ifindex;
	struct mac_addr dst;
	struct fdb_entry *e;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;

	/* A multicast source address is invalid; do not learn it. */
	if (!(eth->h_source[0] & 1))
		learn(eth->h_source, in_port);

	if (!(eth->h_dest[0] & 1)) {
		__builtin_memcpy(dst.addr, eth->h_dest, ETH_ALEN);
		e = bpf_map_lookup_elem(&fdb, &dst);
		if (e) {
			if (e->port == in_port)
				return XDP_DROP;	/* destination is on the segment it came from */
			/* Low flag bits: verdict if the port is not in the devmap. */
			return bpf_redirect_map(&ports, e->port, XDP_PASS);
		}
	}

	/* Broadcast, multicast or unknown unicast: flood. */
	return bpf_redirect_map(&ports, 0, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
}

char _license[] SEC("license") = "GPL";

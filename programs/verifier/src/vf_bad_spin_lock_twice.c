// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: function calls are not allowed while holding a lock
/*
 * Taking a second bpf_spin_lock while one is held: bpf_spin_lock is itself one
 * of the calls refused under a lock (only bpf_spin_unlock is allowed).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct counter {
	struct bpf_spin_lock lock;
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");


SEC("xdp")
int vf_bad_spin_lock_twice(struct xdp_md *ctx)
{
	__u32 k1 = ctx->rx_queue_index, k2 = k1 + 1;
	struct counter *a = bpf_map_lookup_elem(&counters, &k1);
	struct counter *b = bpf_map_lookup_elem(&counters, &k2);

	if (!a || !b)
		return XDP_PASS;
	bpf_spin_lock(&a->lock);
	bpf_spin_lock(&b->lock);
	a->packets++;
	b->packets++;
	bpf_spin_unlock(&b->lock);
	bpf_spin_unlock(&a->lock);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: bpf_spin_unlock of different lock
/*
 * Unlocking the lock of another map value than the one locked.
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
int vf_bad_spin_unlock_other(struct xdp_md *ctx)
{
	__u32 k1 = ctx->rx_queue_index, k2 = k1 + 1;
	struct counter *a = bpf_map_lookup_elem(&counters, &k1);
	struct counter *b = bpf_map_lookup_elem(&counters, &k2);

	if (!a || !b)
		return XDP_PASS;
	bpf_spin_lock(&a->lock);
	a->packets++;
	bpf_spin_unlock(&b->lock);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

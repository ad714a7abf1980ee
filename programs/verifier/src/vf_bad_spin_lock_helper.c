// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: function calls are not allowed while holding a lock
/*
 * A helper call while a bpf_spin_lock is held.
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
int vf_bad_spin_lock_helper(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
	struct counter *c = bpf_map_lookup_elem(&counters, &key);

	if (!c)
		return XDP_PASS;
	bpf_spin_lock(&c->lock);
	c->bytes = bpf_ktime_get_ns();
	bpf_spin_unlock(&c->lock);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

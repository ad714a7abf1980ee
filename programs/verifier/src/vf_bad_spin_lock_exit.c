// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region
/*
 * Returning from the program while a bpf_spin_lock is held.
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
int vf_bad_spin_lock_exit(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
	struct counter *c = bpf_map_lookup_elem(&counters, &key);

	if (!c)
		return XDP_PASS;
	bpf_spin_lock(&c->lock);
	c->packets++;
	if (c->packets > 100)
		return XDP_DROP;
	bpf_spin_unlock(&c->lock);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

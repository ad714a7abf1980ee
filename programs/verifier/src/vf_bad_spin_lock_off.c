// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: off 8 doesn't point to 'struct bpf_spin_lock' that is at 0
/*
 * bpf_spin_lock given a pointer into the value that is not its lock.
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
int vf_bad_spin_lock_off(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
	struct counter *c = bpf_map_lookup_elem(&counters, &key);

	if (!c)
		return XDP_PASS;
	bpf_spin_lock((struct bpf_spin_lock *)&c->packets);
	c->bytes++;
	bpf_spin_unlock((struct bpf_spin_lock *)&c->packets);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

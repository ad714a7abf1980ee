// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: map 'plain' has no valid bpf_spin_lock
/*
 * bpf_spin_lock on a map whose value type has no struct bpf_spin_lock.
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


struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} plain SEC(".maps");

SEC("xdp")
int vf_bad_spin_lock_no_field(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
	__u64 *v = bpf_map_lookup_elem(&plain, &key);

	if (!v)
		return XDP_PASS;
	bpf_spin_lock((struct bpf_spin_lock *)v);
	bpf_spin_unlock((struct bpf_spin_lock *)v);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

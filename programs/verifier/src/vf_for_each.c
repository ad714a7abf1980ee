// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/* bpf_for_each_map_elem: the callback gets pointers to each key and value. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} buckets SEC(".maps");

struct bpf_map;

struct ctx_sum {
	__u64 sum;
};

static long add(struct bpf_map *map, __u32 *key, __u64 *value, struct ctx_sum *c)
{
	c->sum += *value + *key;
	return 0;
}

SEC("xdp")
int vf_for_each(struct xdp_md *ctx)
{
	struct ctx_sum c = {};

	bpf_for_each_map_elem(&buckets, add, &c, 0);
	return c.sum > 100 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * Map-in-map: the outer array's value, once null-checked, is a map whose
 * lookups give values of the inner template's size.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} inner_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a },
};

SEC("xdp")
int vf_map_in_map(struct xdp_md *ctx)
{
	__u32 slot = ctx->rx_queue_index & 1;
	__u32 key = ctx->ingress_ifindex & 15;
	void *table = bpf_map_lookup_elem(&outer, &slot);
	__u64 *count;

	if (!table)
		return XDP_PASS;
	count = bpf_map_lookup_elem(table, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

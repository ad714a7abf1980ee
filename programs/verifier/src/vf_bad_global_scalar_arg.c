// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: R0 unbounded memory access, make sure to bounds check any such access
/*
 * A global function's scalar arguments are unknown to it: the index that
 * its caller keeps below 4 is unbounded inside, so the map value access is
 * refused (a static function would be checked with the caller's bounds).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct slots {
	__u64 v[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct slots);
} table SEC(".maps");

__attribute__((noinline)) int slot(__u32 i)
{
	__u32 key = 0;
	struct slots *s = bpf_map_lookup_elem(&table, &key);

	if (!s)
		return 0;
	return s->v[i];
}

SEC("xdp")
int vf_bad_global_scalar_arg(struct xdp_md *ctx)
{
	return slot(ctx->rx_queue_index & 3) ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: R6 unbounded memory access, make sure to bounds check any such access
/*
 * What a global function returns is an unknown scalar to its caller, whatever
 * the function's body (here at most 3): using it as an index into a map value
 * without a bound is refused.
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

__attribute__((noinline)) int small(struct xdp_md *ctx)
{
	return ctx->rx_queue_index & 3;
}

SEC("xdp")
int vf_bad_global_ret(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct slots *s = bpf_map_lookup_elem(&table, &key);

	if (!s)
		return XDP_PASS;
	return s->v[small(ctx)] ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";

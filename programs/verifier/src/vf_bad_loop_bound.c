// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: R1 unbounded memory access, make sure to bounds check any such access
/* Indexes a map value with a loop counter the program never bounds by the value size. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[16]);
} table SEC(".maps");

SEC("xdp")
int vf_bad_loop_bound(struct xdp_md *ctx)
{
	__u32 zero = 0, n = ctx->rx_queue_index;
	__u8 *v = bpf_map_lookup_elem(&table, &zero);

	if (!v)
		return XDP_PASS;
	return v[n] ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";

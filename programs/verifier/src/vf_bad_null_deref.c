// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: R0 invalid mem access 'map_value_or_null'
/* Uses a hash map lookup without checking it found something. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("xdp")
int vf_bad_null_deref(struct xdp_md *ctx)
{
	__u32 key = ctx->ingress_ifindex;
	__u64 *v = bpf_map_lookup_elem(&seen, &key);

	*v += 1;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

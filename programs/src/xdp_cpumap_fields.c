// SPDX-License-Identifier: GPL-2.0
/*
 * What a cpumap program is told about a frame, against what the XDP program
 * that sent it there was told. xdp_cpumap_fields records its xdp_md's
 * rx_queue_index and ingress_ifindex in slots 0 and 1 of "fields" and
 * redirects every frame to the CPU in slot 1 of "cpus" (XDP_PASS if empty);
 * cpumap_fields, the program userspace puts in that cpumap entry
 * (struct bpf_cpumap_val's bpf_prog.fd), records its own in slots 2 and 3
 * and drops the frame. Exercises a second-stage program (SEC xdp/cpumap,
 * expected attach type BPF_XDP_CPUMAP) and its context.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} fields SEC(".maps");

static __always_inline void record(__u32 slot, __u32 value)
{
	__u32 *v = bpf_map_lookup_elem(&fields, &slot);

	if (v)
		*v = value;
}

SEC("xdp")
int xdp_cpumap_fields(struct xdp_md *ctx)
{
	record(0, ctx->rx_queue_index);
	record(1, ctx->ingress_ifindex);
	return bpf_redirect_map(&cpus, 1, XDP_PASS);
}

SEC("xdp/cpumap")
int cpumap_fields(struct xdp_md *ctx)
{
	record(2, ctx->rx_queue_index);
	record(3, ctx->ingress_ifindex);
	return XDP_DROP;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/*
 * Steers ICMP over IPv4 to another CPU through a cpumap (the CPU in slot 1 of
 * "cpus", if userspace filled it; XDP_PASS on this CPU otherwise) and passes
 * everything else here. Counts, per CPU, the frames this program saw: the
 * per-CPU slot shows which CPU ran it. Exercises bpf_redirect_map on a
 * BPF_MAP_TYPE_CPUMAP with a fallback action, and a PERCPU_ARRAY.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
} cpus SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("xdp")
int xdp_cpu_steer(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	__u32 zero = 0;
	__u64 *n;

	n = bpf_map_lookup_elem(&seen, &zero);
	if (n)
		(*n)++;
	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (iph->protocol != IPPROTO_ICMP)
		return XDP_PASS;
	return bpf_redirect_map(&cpus, 1, XDP_PASS);
}

char _license[] SEC("license") = "GPL";

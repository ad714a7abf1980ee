// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_drop: drops every frame. The cheapest verdict there is, so a load
 * test of it measures the receive path and the hook itself (the XDP_DROP
 * figure of jxdp bench and of perf/'s NicBenchmark). It also sits on the
 * far end of the veths the kernel reference transmits into, since a veth
 * only takes XDP frames when its peer runs an XDP program.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char _license[] SEC("license") = "BSD-2-Clause";

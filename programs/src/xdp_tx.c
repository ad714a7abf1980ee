// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_tx: sends every frame back out of the port it came in on, untouched
 * (a reflector without the MAC swap), to measure the XDP_TX path.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_tx(struct xdp_md *ctx)
{
	return XDP_TX;
}

char _license[] SEC("license") = "BSD-2-Clause";

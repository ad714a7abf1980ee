// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: invalid bpf_context access off=16 size=4
/* Tries to move the frame to another RX queue by writing xdp_md. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int vf_bad_ctx_write(struct xdp_md *ctx)
{
	ctx->rx_queue_index = 0;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/* Grows the metadata area with bpf_xdp_adjust_meta, then writes it after checking it against data. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int vf_meta(struct xdp_md *ctx)
{
	__u32 *meta;
	void *data;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)))
		return XDP_PASS;
	meta = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if ((void *)(meta + 1) > data)
		return XDP_PASS;
	*meta = 0x6a786470;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

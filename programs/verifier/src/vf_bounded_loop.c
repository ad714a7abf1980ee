// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * A loop the compiler keeps as a loop (unrolling disabled): a checksum over
 * the first 64 bytes of the frame, each byte bounds-checked where it is read.
 * The verifier explores all 64 iterations.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int vf_bounded_loop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 sum = 0;

#pragma clang loop unroll(disable)
	for (int i = 0; i < 64; i++) {
		__u8 *p = data + i;

		if ((void *)(p + 1) > data_end)
			break;
		sum = (sum << 1) + *p;
	}
	return sum & 1 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";

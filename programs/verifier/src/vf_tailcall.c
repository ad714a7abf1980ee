// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/* A dispatcher that tail-calls a program chosen by the frame's first byte. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jump_table SEC(".maps");

SEC("xdp")
int vf_tailcall(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *first = data;

	if ((void *)(first + 1) > data_end)
		return XDP_DROP;
	bpf_tail_call(ctx, &jump_table, *first & 3);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
// kernel: reject
// error: Unreleased reference id=2 alloc_insn=5
/* Forgets to submit the reservation on the short-frame path. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
int vf_bad_ringbuf_leak(struct xdp_md *ctx)
{
	__u32 *len = bpf_ringbuf_reserve(&events, sizeof(*len), 0);

	if (!len)
		return XDP_PASS;
	*len = ctx->data_end - ctx->data;
	if (*len < 64)
		return XDP_DROP;
	bpf_ringbuf_submit(len, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_ringbuf_sampler: packet sampler for monitoring. Roughly one packet in
 * SAMPLE_EVERY is copied (first SNAPLEN bytes plus metadata) into a ring
 * buffer that userspace consumes; the packet itself always passes. When the
 * ring is full the sample is lost, never the packet.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define SNAPLEN		64
#define SAMPLE_EVERY	128	/* power of two: the modulo becomes a mask */

struct sample {
	__u64 tstamp_ns;
	__u32 ifindex;
	__u32 rx_queue;
	__u32 pkt_len;		/* length on the wire */
	__u32 cap_len;		/* bytes valid in data[] */
	__u8 data[SNAPLEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);	/* bytes; a power-of-two number of pages */
} samples SEC(".maps");

SEC("xdp")
int xdp_sample_packets(struct xdp_md *ctx)
{
	__u32 pkt_len = ctx->data_end - ctx->data;
	/* 64-bit so that the zero test below and the helper see one register */
	__u64 cap_len = pkt_len < SNAPLEN ? pkt_len : SNAPLEN;
	struct sample *s;

	if (bpf_get_prandom_u32() % SAMPLE_EVERY != 0)
		return XDP_PASS;
	/*
	 * Clang would turn "cap_len == 0" into "data_end == data"; the barrier
	 * keeps the test on cap_len so the verifier knows the copy is nonempty.
	 */
	barrier_var(cap_len);
	if (cap_len == 0)
		return XDP_PASS;

	s = bpf_ringbuf_reserve(&samples, sizeof(*s), 0);
	if (!s)
		return XDP_PASS;

	s->tstamp_ns = bpf_ktime_get_ns();
	s->ifindex = ctx->ingress_ifindex;
	s->rx_queue = ctx->rx_queue_index;
	s->pkt_len = pkt_len;
	s->cap_len = cap_len;
	/* The helper copies out of linear and fragment data alike. */
	if (bpf_xdp_load_bytes(ctx, 0, s->data, cap_len) < 0) {
		bpf_ringbuf_discard(s, 0);
		return XDP_PASS;
	}
	bpf_ringbuf_submit(s, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

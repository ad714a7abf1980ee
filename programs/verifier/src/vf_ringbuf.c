// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * Ring buffer reservations: reserved memory is a reference the program
 * must submit or discard on every path.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct sample {
	__u32 len;
	__u8 head[32];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

SEC("xdp")
int vf_ringbuf(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct sample *s = bpf_ringbuf_reserve(&events, sizeof(*s), 0);

	if (!s)
		return XDP_PASS;
	s->len = data_end - data;
	if (data + sizeof(s->head) > data_end) {
		bpf_ringbuf_discard(s, 0);
		return XDP_PASS;
	}
	__builtin_memcpy(s->head, data, sizeof(s->head));
	bpf_ringbuf_submit(s, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

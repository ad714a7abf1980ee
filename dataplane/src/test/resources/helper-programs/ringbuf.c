#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

char payload[1000];
__s64 r[24];

SEC("xdp")
int ringbuf_prog(struct xdp_md *ctx)
{
	void *p;

	r[0] = bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA);
	r[1] = bpf_ringbuf_output(&rb, payload, 1000, 0);
	r[2] = bpf_ringbuf_output(&rb, payload, 1000, BPF_RB_NO_WAKEUP);
	r[3] = bpf_ringbuf_output(&rb, payload, 1000, 8);		/* unknown flag: EINVAL */
	p = bpf_ringbuf_reserve(&rb, 100, 0);
	r[4] = p != 0;
	if (p)
		bpf_ringbuf_discard(p, 0);
	p = bpf_ringbuf_reserve(&rb, 64, 0);
	r[5] = p != 0;
	if (p) {
		__builtin_memset(p, 0x5a, 64);
		bpf_ringbuf_submit(p, BPF_RB_FORCE_WAKEUP);
	}
	r[6] = bpf_ringbuf_output(&rb, payload, 1000, 0);
	r[7] = bpf_ringbuf_output(&rb, payload, 1000, 0);		/* full: EAGAIN */
	p = bpf_ringbuf_reserve(&rb, 8, 0);
	r[8] = p != 0;
	if (p)
		bpf_ringbuf_submit(p, 0);
	r[9] = bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA);
	r[10] = bpf_ringbuf_query(&rb, BPF_RB_RING_SIZE);
	r[11] = bpf_ringbuf_query(&rb, BPF_RB_CONS_POS);
	r[12] = bpf_ringbuf_query(&rb, BPF_RB_PROD_POS);
	r[13] = bpf_ringbuf_query(&rb, 77);
	p = bpf_ringbuf_reserve(&rb, 8, 1);				/* flags must be 0 */
	r[14] = p != 0;
	if (p)
		bpf_ringbuf_discard(p, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

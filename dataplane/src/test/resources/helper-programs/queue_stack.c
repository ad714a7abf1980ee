#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 3);
	__type(value, __u64);
} q SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 3);
	__type(value, __u64);
} st SEC(".maps");

__s64 r[40];

static __always_inline int exercise(void *m, int i)
{
	__u64 v;

	v = 1; r[i++] = bpf_map_push_elem(m, &v, 0);
	v = 2; r[i++] = bpf_map_push_elem(m, &v, 0);
	v = 3; r[i++] = bpf_map_push_elem(m, &v, 0);
	v = 4; r[i++] = bpf_map_push_elem(m, &v, 0);		/* full: E2BIG */
	v = 5; r[i++] = bpf_map_push_elem(m, &v, BPF_EXIST);	/* drops the oldest */
	v = 6; r[i++] = bpf_map_push_elem(m, &v, BPF_NOEXIST);	/* EINVAL */
	v = 0; r[i++] = bpf_map_peek_elem(m, &v); r[i++] = v;
	v = 0; r[i++] = bpf_map_pop_elem(m, &v); r[i++] = v;
	v = 0; r[i++] = bpf_map_pop_elem(m, &v); r[i++] = v;
	v = 0; r[i++] = bpf_map_pop_elem(m, &v); r[i++] = v;
	v = 9; r[i++] = bpf_map_pop_elem(m, &v); r[i++] = v;	/* empty: ENOENT, zeroed */
	v = 9; r[i++] = bpf_map_peek_elem(m, &v); r[i++] = v;
	return i;
}

SEC("xdp")
int queue_stack(struct xdp_md *ctx)
{
	exercise(&q, 0);
	exercise(&st, 20);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

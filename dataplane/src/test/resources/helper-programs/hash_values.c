#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/*
 * Values of a hash map handed to helpers that read them (push, strncmp, perf output),
 * after writes through the value pointers: jxdp's JIT calls these lookups directly on the map, the
 * value's region made only when a helper asks for the run's regions, and the helpers must still
 * find the values. Missing keys give NULL.
 */

struct val {
	__u64 a;
	__u32 n;
	char s[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct val);
} vals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, struct val);
} q SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} ev SEC(".maps");

__s64 r[24];

static __always_inline void bump(__u32 k, int at)
{
	struct val *v = bpf_map_lookup_elem(&vals, &k);

	r[at] = v != 0;
	if (v) {
		v->a += k + 1;
		v->n = v->a * 3;
	}
}

SEC("xdp")
int hash_values(struct xdp_md *ctx)
{
	struct val fresh = {}, out = {};
	struct val *v;
	__u32 k;

	k = 1;
	fresh.a = 10;
	r[0] += bpf_map_update_elem(&vals, &k, &fresh, BPF_NOEXIST);
	k = 2;
	fresh.a = 20;
	r[0] += bpf_map_update_elem(&vals, &k, &fresh, BPF_NOEXIST);
	k = 3;
	fresh.a = 30;
	r[0] += bpf_map_update_elem(&vals, &k, &fresh, BPF_NOEXIST);
	bump(1, 1);
	bump(3, 2);
	bump(4, 3);		/* no such key: NULL */
	bump(0xffffffff, 4);	/* NULL */
	k = 2;
	v = bpf_map_lookup_elem(&vals, &k);
	if (v) {
		v->a = 7;
		v->s[0] = 'j';
		v->s[1] = 'x';
		r[5] = bpf_map_push_elem(&q, v, 0);
		r[6] = bpf_map_pop_elem(&q, &out);
		r[7] = out.a * 100 + out.s[1];
		r[8] = bpf_strncmp(v->s, 2, "jx");
		r[9] = bpf_strncmp(v->s, 2, "jy") < 0;
		v->n++;
		r[10] = v->n;
		/* reads the value through the run's regions */
		r[11] = bpf_perf_event_output(ctx, &ev, BPF_F_CURRENT_CPU, &v->a, sizeof(v->a));
		r[12] = bpf_map_delete_elem(&vals, &k);
	}
	v = bpf_map_lookup_elem(&vals, &k);	/* deleted: NULL */
	r[13] = v != 0;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/*
 * Values of array maps handed to helpers that read them (push, strncmp, spin_lock), after writes
 * through the value pointers: jxdp's JIT computes these lookups inline, and the helpers must still
 * find the values. Keys past max_entries give NULL.
 */

struct pair {
	__u64 a;
	__u64 b;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct pair);
} vals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u32);	/* stride 8: the value is 4 bytes */
} pcpu SEC(".maps");

struct text {
	char s[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct text);
} texts SEC(".maps");

struct locked {
	struct bpf_spin_lock lock;
	__u32 n;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct locked);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, struct pair);
} q SEC(".maps");

__s64 r[24];

static __always_inline void bump(__u32 k, int at)
{
	struct pair *p = bpf_map_lookup_elem(&vals, &k);

	r[at] = p != 0;
	if (p) {
		p->a += k + 1;
		p->b = p->a * 3;
	}
}

static __always_inline void bump_percpu(__u32 k, int at)
{
	__u32 *c = bpf_map_lookup_elem(&pcpu, &k);

	r[at] = c != 0;
	if (c)
		*c += k + 10;
}

SEC("xdp")
int array_values(struct xdp_md *ctx)
{
	struct pair *p, out = {};
	struct text *t;
	struct locked *l;
	__u32 k;

	bump(0, 0);
	bump(3, 1);
	bump(4, 2);		/* past max_entries: NULL */
	bump(0xffffffff, 3);	/* NULL, not a wrapped index */
	k = 2;
	p = bpf_map_lookup_elem(&vals, &k);
	if (p) {
		p->a = 7;
		p->b = 11;
		r[4] = bpf_map_push_elem(&q, p, 0);
		r[5] = bpf_map_pop_elem(&q, &out);
		r[6] = out.a * 100 + out.b;
	}
	bump_percpu(0, 7);
	bump_percpu(2, 8);
	bump_percpu(3, 9);	/* past max_entries: NULL */
	k = 1;
	t = bpf_map_lookup_elem(&texts, &k);
	if (t) {
		t->s[0] = 'j';
		t->s[1] = 'x';
		r[10] = bpf_strncmp(t->s, 2, "jx");
		r[11] = bpf_strncmp(t->s, 2, "jy") < 0;
	}
	k = 0;
	l = bpf_map_lookup_elem(&counts, &k);
	if (l) {
		bpf_spin_lock(&l->lock);
		l->n++;
		bpf_spin_unlock(&l->lock);
		r[12] = l->n;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

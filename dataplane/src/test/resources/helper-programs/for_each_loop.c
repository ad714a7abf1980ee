#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} h SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 5);
	__type(key, __u32);
	__type(value, __u64);
} a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} pa SEC(".maps");

struct walk {
	__u64 sum;
	__u64 n;
};

__s64 r[24];
/*
 * Where the walks stop, read from .bss so the verifier does not know them: callbacks that compare
 * known counters with constants never converge in the verifier (E2BIG), these do.
 */
__u32 stop_key = 0xffffffff;
__u64 stop_index = 0xffffffff;

static long visit(struct bpf_map *map, __u32 *key, __u64 *val, struct walk *w)
{
	w->sum += *val * 3 + *key;
	w->n++;
	*val += 1;
	return *key == stop_key;
}

static long step(__u64 i, struct walk *w)
{
	w->sum += i * i;
	w->n++;
	return i == stop_index;
}

SEC("xdp")
int for_each_loop(struct xdp_md *ctx)
{
	struct walk w = {};
	__u32 k;
	__u64 v;

	k = 1; v = 10; bpf_map_update_elem(&h, &k, &v, BPF_ANY);
	k = 2; v = 20; bpf_map_update_elem(&h, &k, &v, BPF_ANY);
	k = 3; v = 30; bpf_map_update_elem(&h, &k, &v, BPF_ANY);
	k = 4; v = 40; bpf_map_update_elem(&h, &k, &v, BPF_ANY);
	k = 5; v = 50; bpf_map_update_elem(&h, &k, &v, BPF_ANY);
	k = 3; v = 7;
	bpf_map_update_elem(&a, &k, &v, BPF_ANY);
	bpf_map_update_elem(&pa, &k, &v, BPF_ANY);

	stop_key = 0xffffffff;
	r[0] = bpf_for_each_map_elem(&h, visit, &w, 0); r[1] = w.sum; r[2] = w.n;
	w.sum = 0; w.n = 0; stop_key = 1;
	r[3] = bpf_for_each_map_elem(&a, visit, &w, 0); r[4] = w.sum; r[5] = w.n;
	w.sum = 0; w.n = 0; stop_key = 0xffffffff;
	r[6] = bpf_for_each_map_elem(&a, visit, &w, 0); r[7] = w.sum;
	r[8] = bpf_for_each_map_elem(&a, visit, &w, 1);
	w.sum = 0; w.n = 0;
	r[9] = bpf_for_each_map_elem(&pa, visit, &w, 0); r[10] = w.sum;

	w.sum = 0; w.n = 0; stop_index = 0xffffffff;
	r[11] = bpf_loop(10, step, &w, 0); r[12] = w.sum; r[13] = w.n;
	w.sum = 0; w.n = 0; stop_index = 3;
	r[14] = bpf_loop(10, step, &w, 0); r[15] = w.sum;
	r[16] = bpf_loop(10, step, &w, 1);
	r[17] = bpf_loop(1 << 24, step, &w, 0);
	r[18] = bpf_loop(0, step, &w, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

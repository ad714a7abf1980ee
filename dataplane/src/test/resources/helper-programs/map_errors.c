#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct val {
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct val);
} locked SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} pc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} small SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, 4);
	__uint(value_size, 4);
} ev SEC(".maps");

__s64 r[32];

SEC("xdp")
int map_errors(struct xdp_md *ctx)
{
	struct val init = {}, *v;
	__u64 x = 5, *p;
	__u32 k = 1;

	r[0] = bpf_map_update_elem(&locked, &k, &init, BPF_NOEXIST);
	v = bpf_map_lookup_elem(&locked, &k);
	if (v) {
		bpf_spin_lock(&v->lock);
		v->count += 7;
		bpf_spin_unlock(&v->lock);
	}
	r[1] = bpf_get_smp_processor_id();

	k = 0;
	r[2] = bpf_map_update_elem(&pc, &k, &x, BPF_ANY);
	p = bpf_map_lookup_percpu_elem(&pc, &k, 0);
	r[3] = p ? (__s64)*p : -1;
	p = bpf_map_lookup_percpu_elem(&pc, &k, 1);
	r[4] = p ? (__s64)*p : -1;
	p = bpf_map_lookup_percpu_elem(&pc, &k, 4096);
	r[5] = p ? 1 : 0;
	r[6] = bpf_map_update_elem(&pc, &k, &x, BPF_NOEXIST);
	k = 5;
	r[7] = bpf_map_update_elem(&pc, &k, &x, BPF_ANY);
	r[8] = bpf_map_delete_elem(&arr, &k);
	k = 0;
	r[9] = bpf_map_delete_elem(&arr, &k);
	r[10] = bpf_map_update_elem(&arr, &k, &x, 9);

	k = 1; r[11] = bpf_map_update_elem(&small, &k, &x, BPF_ANY);
	k = 2; r[12] = bpf_map_update_elem(&small, &k, &x, BPF_ANY);
	k = 3; r[13] = bpf_map_update_elem(&small, &k, &x, BPF_ANY);
	k = 1; r[14] = bpf_map_update_elem(&small, &k, &x, BPF_NOEXIST);
	k = 7; r[15] = bpf_map_update_elem(&small, &k, &x, BPF_EXIST);
	k = 7; r[16] = bpf_map_delete_elem(&small, &k);
	k = 1; r[17] = bpf_map_update_elem(&small, &k, &x, 4);	/* BPF_F_LOCK without a lock */
	k = 2; r[18] = bpf_map_delete_elem(&small, &k);
	k = 2; r[19] = bpf_map_delete_elem(&small, &k);

	r[20] = bpf_perf_event_output(ctx, &ev, BPF_F_CURRENT_CPU, &x, sizeof(x));
	r[21] = bpf_perf_event_output(ctx, &ev, 5, &x, sizeof(x));
	r[22] = bpf_perf_event_output(ctx, &ev, 1ULL << 52, &x, sizeof(x));
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

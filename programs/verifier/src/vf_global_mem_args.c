// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * What a global function's pointer argument may be given: the stack, a map
 * value, the packet (after a check that covers the whole pointee) or NULL.
 * The function checks for NULL and stays within the pointee.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct hdr {
	__u8 b[14];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hdr);
} last SEC(".maps");

__attribute__((noinline)) int sum_hdr(struct hdr *h)
{
	int s = 0;

	if (!h)
		return 0;
	for (int i = 0; i < 14; i++)
		s += h->b[i];
	return s;
}

SEC("xdp")
int vf_global_mem_args(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct hdr local = {};
	__u32 key = 0;
	struct hdr *v;
	int s;

	if (data + sizeof(struct hdr) > data_end)
		return XDP_PASS;
	s = sum_hdr(data);
	s += sum_hdr(&local);
	s += sum_hdr(0);
	v = bpf_map_lookup_elem(&last, &key);
	s += sum_hdr(v);
	return s == 7 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";

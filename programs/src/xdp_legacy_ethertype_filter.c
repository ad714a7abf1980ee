// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_legacy_ethertype_filter: drops frames whose EtherType userspace put in
 * a deny table and counts frames per EtherType. Written in the pre-BTF style
 * of the old kernel samples: maps are `struct bpf_map_def` objects in the
 * "maps" section, with sizes instead of key/value types. libbpf >= 1.0 (and
 * so bpftool) refuses this convention; loaders that predate BTF accept it.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

/* Layout the old samples/bpf loaders read from the "maps" section. */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

/* EtherType (network byte order) -> 1 to drop. */
struct bpf_map_def SEC("maps") ethertype_deny = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u16),
	.value_size = sizeof(__u32),
	.max_entries = 64,
};

/* EtherType (network byte order) -> frames seen, one counter per CPU. */
struct bpf_map_def SEC("maps") ethertype_count = {
	.type = BPF_MAP_TYPE_PERCPU_HASH,
	.key_size = sizeof(__u16),
	.value_size = sizeof(__u64),
	.max_entries = 1024,
};

SEC("xdp")
int xdp_ethertype_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u64 one = 1, *cnt;
	__u32 *deny;
	__u16 proto;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	proto = eth->h_proto;

	cnt = bpf_map_lookup_elem(&ethertype_count, &proto);
	if (cnt)
		*cnt += 1;
	else
		bpf_map_update_elem(&ethertype_count, &proto, &one, BPF_NOEXIST);

	deny = bpf_map_lookup_elem(&ethertype_deny, &proto);
	if (deny && *deny)
		return XDP_DROP;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

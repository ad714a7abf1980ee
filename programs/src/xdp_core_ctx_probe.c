// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_core_ctx_probe: CO-RE (compile once, run everywhere) relocations on the
 * uapi context and packet headers, the way libbpf-based programs written
 * against vmlinux.h get them. Every access to a uapi struct is relocatable
 * (preserve_access_index over the includes), and the program records what the
 * loader resolved in the `facts` array so a test run shows it:
 *
 *   0  bpf_core_field_exists(ctx->rx_queue_index)        field exists     1
 *   1  bpf_core_field_size(ctx->ingress_ifindex)          field size       4
 *   2  bpf_core_field_exists(xdp_md___future.rx_hash_type) missing field   0
 *   3  bpf_core_type_exists(struct xdp_md)                 type exists      1
 *   4  bpf_core_type_size(struct ethhdr)                   type size       14
 *   5  bpf_core_enum_value_exists(enum xdp_action, XDP_REDIRECT)            1
 *   6  bpf_core_enum_value(enum xdp_action, XDP_TX)        enum value       3
 *   7  BPF_CORE_READ_BITFIELD(iph, ihl)                    bitfield read   (IPv4 header length of the frame, 5 for udp64)
 *
 * xdp_md___future is a "flavour": a local idea of a newer kernel's xdp_md
 * with a field this one does not have. Loaders match it to the real xdp_md by
 * the name before "___".
 */
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#pragma clang attribute pop
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct xdp_md___future {
	__u32 data;
	__u32 rx_hash_type;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} facts SEC(".maps");

static __always_inline void note(__u32 key, __u64 value)
{
	__u64 *slot = bpf_map_lookup_elem(&facts, &key);

	if (slot)
		*slot = value;
}

SEC("xdp")
int xdp_core_ctx_probe(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	note(0, bpf_core_field_exists(ctx->rx_queue_index));
	note(1, bpf_core_field_size(ctx->ingress_ifindex));
	note(2, bpf_core_field_exists(((struct xdp_md___future *)ctx)->rx_hash_type));
	note(3, bpf_core_type_exists(struct xdp_md));
	note(4, bpf_core_type_size(struct ethhdr));
	note(5, bpf_core_enum_value_exists(enum xdp_action, XDP_REDIRECT));
	note(6, bpf_core_enum_value(enum xdp_action, XDP_TX));

	if ((void *)(iph + 1) > data_end)
		return XDP_PASS;
	note(7, BPF_CORE_READ_BITFIELD(iph, ihl));
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

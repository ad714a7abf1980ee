// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xdp_lpm_blocklist: IPv4 firewall that drops packets whose source address
 * falls in a blocked prefix. Prefixes live in an LPM trie (longest-prefix
 * match, e.g. 203.0.113.0/24 or 198.51.100.7/32); the value is the rule id
 * so userspace can attribute drops. Pass/drop totals go to a shared array.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* LPM trie keys start with the prefix length, then the address bytes. */
struct ipv4_lpm_key {
	__u32 prefixlen;
	__u32 addr;		/* network byte order */
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);	/* required for LPM tries */
	__type(key, struct ipv4_lpm_key);
	__type(value, __u32);			/* rule id */
} blocklist SEC(".maps");

enum { STAT_PASS, STAT_DROP, STAT_MAX };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} verdict_stats SEC(".maps");

static __always_inline int count(__u32 stat, int verdict)
{
	__u64 *cnt = bpf_map_lookup_elem(&verdict_stats, &stat);

	/* The array is shared by all CPUs, so the add must be atomic. */
	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return verdict;
}

SEC("xdp")
int xdp_lpm_blocklist(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph;
	struct ipv4_lpm_key key;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > data_end)
		return XDP_PASS;

	key.prefixlen = 32;	/* look up the full address; the trie finds the longest prefix */
	key.addr = iph->saddr;
	if (bpf_map_lookup_elem(&blocklist, &key))
		return count(STAT_DROP, XDP_DROP);
	return count(STAT_PASS, XDP_PASS);
}

char _license[] SEC("license") = "Dual BSD/GPL";

/* The tc skb helpers at their edges: every call's result goes into res[run][...]. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

__s64 res[64][24];
__u32 runs;

#define SLOT() __s64 *r = res[runs++ & 63]
/* newer than the 6.1 uapi headers installed here */
#define DECAP_L3_IPV4 (1ULL << 7)
#define BARRIER() asm volatile("" ::: "memory")

static __always_inline __u64 hash(__u8 *b, int n)
{
	__u64 h = 0;
	for (int i = 0; i < n; i++)
		h = h * 31 + b[i];
	return h;
}

SEC("tc")
int load_store(struct __sk_buff *skb)
{
	SLOT();
	__u8 buf[32] = {};
	__u8 pat[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	__u32 len = skb->len;

	r[0] = bpf_skb_load_bytes(skb, 0, buf, 32);
	r[1] = hash(buf, 32);
	r[2] = bpf_skb_load_bytes(skb, len - 4, buf, 4);
	r[3] = hash(buf, 4);
	r[4] = bpf_skb_load_bytes(skb, len - 3, buf, 4);
	r[5] = hash(buf, 4);
	r[6] = bpf_skb_load_bytes(skb, 0x80000000, buf, 1);
	r[7] = bpf_skb_load_bytes_relative(skb, 0, buf, 16, BPF_HDR_START_MAC);
	r[8] = hash(buf, 16);
	r[9] = bpf_skb_load_bytes_relative(skb, 2, buf, 16, BPF_HDR_START_NET);
	r[10] = hash(buf, 16);
	r[11] = bpf_skb_load_bytes_relative(skb, len - 14, buf, 1, BPF_HDR_START_NET);
	r[12] = bpf_skb_load_bytes_relative(skb, 0, buf, 1, 2);
	r[13] = bpf_skb_load_bytes_relative(skb, 0x10000, buf, 1, BPF_HDR_START_MAC);
	r[14] = bpf_skb_store_bytes(skb, 30, pat, 8, 0);
	r[15] = bpf_skb_store_bytes(skb, 40, pat, 4, BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH);
	r[16] = bpf_skb_store_bytes(skb, 40, pat, 4, 4);
	r[17] = bpf_skb_store_bytes(skb, len - 7, pat, 8, 0);
	r[18] = bpf_skb_pull_data(skb, 0);
	r[19] = bpf_skb_pull_data(skb, len);
	r[20] = bpf_skb_pull_data(skb, len + 1);
	r[21] = bpf_clone_redirect(skb, 0, 0);
	r[22] = bpf_clone_redirect(skb, 1, 2);
	return TC_ACT_OK;
}

SEC("tc")
int csums(struct __sk_buff *skb)
{
	SLOT();
	__u16 proto = skb->protocol;
	/* IPv4: header checksum at 24, TTL/protocol word at 22, daddr at 30; UDP/TCP checksum after the header */
	if (proto == bpf_htons(ETH_P_IP)) {
		__u8 l4 = 0;
		__u32 daddr = 0;
		__u32 word = 0;
		bpf_skb_load_bytes(skb, 23, &l4, 1);
		bpf_skb_load_bytes(skb, 30, &daddr, 4);
		bpf_skb_load_bytes(skb, 22, &word, 2);
		__u32 ndaddr = daddr ^ bpf_htonl(0x00000105);
		__u32 nword = (word - bpf_htons(0x0100)) & 0xffff;
		int csum_off = 34 + (l4 == 6 ? 16 : 6);
		r[0] = bpf_l3_csum_replace(skb, 24, daddr, ndaddr, 4);
		r[1] = bpf_l4_csum_replace(skb, csum_off, daddr, ndaddr, BPF_F_PSEUDO_HDR | 4);
		r[2] = bpf_skb_store_bytes(skb, 30, &ndaddr, 4, 0);
		r[3] = bpf_l3_csum_replace(skb, 24, word, nword, 2);
		r[4] = bpf_skb_store_bytes(skb, 22, &nword, 2, 0);
		__s64 diff = bpf_csum_diff(&word, 4, &nword, 4, 0);
		r[5] = diff;
		r[6] = bpf_l3_csum_replace(skb, 24, 0, diff, 0);
		r[7] = bpf_l3_csum_replace(skb, 24, 1, diff, 0);
		r[8] = bpf_l3_csum_replace(skb, 25, 0, 0, 2);
		r[9] = bpf_l3_csum_replace(skb, 24, 0, 0, 3);
		r[10] = bpf_l3_csum_replace(skb, 24, 0, 0, 0x10);
		r[11] = bpf_l4_csum_replace(skb, csum_off, 0x1234, 0x5678, BPF_F_MARK_MANGLED_0 | 2);
		r[12] = bpf_l4_csum_replace(skb, csum_off, 0, 0x4321, BPF_F_PSEUDO_HDR);
		r[13] = bpf_l4_csum_replace(skb, csum_off, 0, 0, 0x400);
		r[14] = bpf_l3_csum_replace(skb, skb->len - 1, 0, 0, 2);
		r[15] = bpf_l3_csum_replace(skb, 0x10000, 0, 0, 2);
	}
	r[16] = bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY);
	r[17] = bpf_csum_level(skb, BPF_CSUM_LEVEL_INC);
	r[18] = bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY);
	r[19] = bpf_csum_level(skb, BPF_CSUM_LEVEL_DEC);
	r[20] = bpf_csum_level(skb, BPF_CSUM_LEVEL_QUERY);
	r[21] = bpf_csum_level(skb, 9);
	r[22] = bpf_csum_update(skb, 5);
	return TC_ACT_OK;
}

SEC("tc")
int vlan(struct __sk_buff *skb)
{
	SLOT();
	r[0] = bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), 5);
	BARRIER();
	r[1] = skb->vlan_present << 16 | skb->vlan_tci;
	r[2] = skb->vlan_proto;
	r[3] = skb->len;
	r[4] = bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021AD), 7);
	BARRIER();
	r[5] = skb->vlan_present << 16 | skb->vlan_tci;
	r[6] = skb->len << 16 | skb->protocol;
	r[7] = bpf_skb_vlan_push(skb, bpf_htons(0x1234), 9);
	BARRIER();
	r[8] = skb->vlan_proto << 16 | skb->len;
	r[9] = bpf_skb_vlan_pop(skb);
	BARRIER();
	r[10] = skb->vlan_present << 16 | skb->vlan_tci;
	r[11] = skb->len << 16 | skb->protocol;
	r[12] = bpf_skb_vlan_pop(skb);
	BARRIER();
	r[13] = skb->vlan_present << 16 | skb->vlan_tci;
	r[14] = skb->len << 16 | skb->protocol;
	r[15] = bpf_skb_vlan_pop(skb);
	BARRIER();
	r[16] = skb->vlan_present << 16 | skb->len;
	r[17] = bpf_skb_vlan_pop(skb);
	BARRIER();
	r[18] = skb->vlan_present << 16 | skb->len;
	r[19] = skb->protocol;
	return TC_ACT_OK;
}

SEC("tc")
int proto(struct __sk_buff *skb)
{
	SLOT();
	r[0] = bpf_skb_change_proto(skb, bpf_htons(ETH_P_IPV6), 1);
	r[1] = bpf_skb_change_proto(skb, bpf_htons(ETH_P_ARP), 0);
	r[2] = bpf_skb_change_proto(skb, bpf_htons(ETH_P_IPV6), 0);
	BARRIER();
	r[3] = skb->len << 16 | skb->protocol;
	r[4] = bpf_skb_change_proto(skb, bpf_htons(ETH_P_IP), 0);
	BARRIER();
	r[5] = skb->len << 16 | skb->protocol;
	r[6] = bpf_skb_change_proto(skb, bpf_htons(ETH_P_IP), 0);
	return TC_ACT_OK;
}

SEC("tc")
int room(struct __sk_buff *skb)
{
	SLOT();
	r[0] = bpf_skb_adjust_room(skb, 8, BPF_ADJ_ROOM_MAC, 0);
	BARRIER();
	r[1] = skb->len;
	r[2] = bpf_skb_adjust_room(skb, -8, BPF_ADJ_ROOM_MAC, 0);
	r[3] = bpf_skb_adjust_room(skb, 12, BPF_ADJ_ROOM_NET, 0);
	BARRIER();
	r[4] = skb->len;
	r[5] = bpf_skb_adjust_room(skb, -12, BPF_ADJ_ROOM_NET, 0);
	r[6] = bpf_skb_adjust_room(skb, 4, 5, 0);
	r[7] = bpf_skb_adjust_room(skb, 0x1000, BPF_ADJ_ROOM_MAC, 0);
	r[8] = bpf_skb_adjust_room(skb, 4, BPF_ADJ_ROOM_MAC, 1ULL << 12);
	r[9] = bpf_skb_adjust_room(skb, -10000, BPF_ADJ_ROOM_NET, 0);
	r[10] = bpf_skb_adjust_room(skb, 8, BPF_ADJ_ROOM_MAC, DECAP_L3_IPV4);
	r[11] = bpf_skb_adjust_room(skb, 20, BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L3_IPV6);
	r[12] = bpf_skb_adjust_room(skb, 28, BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4 | BPF_F_ADJ_ROOM_ENCAP_L4_UDP);
	BARRIER();
	r[13] = skb->len << 16 | skb->protocol;
	r[14] = bpf_skb_adjust_room(skb, 20, BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV4);
	r[15] = bpf_skb_change_tail(skb, skb->len + 2, 0);
	r[16] = bpf_skb_adjust_room(skb, -28, BPF_ADJ_ROOM_MAC, DECAP_L3_IPV4);
	BARRIER();
	r[17] = skb->len << 16 | skb->protocol;
	r[18] = bpf_skb_adjust_room(skb, 40, BPF_ADJ_ROOM_MAC, BPF_F_ADJ_ROOM_ENCAP_L3_IPV6 | BPF_F_ADJ_ROOM_ENCAP_L2(14) | BPF_F_ADJ_ROOM_ENCAP_L2_ETH);
	BARRIER();
	r[19] = skb->len << 16 | skb->protocol;
	return TC_ACT_OK;
}

SEC("tc")
int head_tail(struct __sk_buff *skb)
{
	SLOT();
	__u32 len = skb->len;
	r[0] = bpf_skb_change_tail(skb, len + 10, 0);
	BARRIER();
	r[1] = skb->len;
	r[2] = bpf_skb_change_tail(skb, len - 10, 0);
	BARRIER();
	r[3] = skb->len;
	r[4] = bpf_skb_change_tail(skb, 13, 0);
	r[5] = bpf_skb_change_tail(skb, 14, 0);
	BARRIER();
	r[6] = skb->len;
	r[7] = bpf_skb_change_tail(skb, 16065, 0);
	r[8] = bpf_skb_change_tail(skb, 16064, 0);
	BARRIER();
	r[9] = skb->len;
	r[10] = bpf_skb_change_tail(skb, 100, 1);
	r[11] = bpf_skb_change_tail(skb, 60, 0);
	r[12] = bpf_skb_change_head(skb, 14, 0);
	BARRIER();
	r[13] = skb->len;
	r[14] = bpf_skb_change_head(skb, 8, 1);
	r[15] = bpf_skb_change_head(skb, 16064 - 74 + 1, 0);
	r[16] = bpf_skb_change_head(skb, 4, 0);
	BARRIER();
	r[17] = skb->len;
	return TC_ACT_OK;
}

SEC("tc")
int meta(struct __sk_buff *skb)
{
	SLOT();
	r[0] = skb->pkt_type;
	r[1] = bpf_skb_change_type(skb, 0);
	BARRIER();
	r[2] = skb->pkt_type;
	r[3] = bpf_skb_change_type(skb, 4);
	r[4] = bpf_skb_change_type(skb, 3);
	BARRIER();
	r[5] = skb->pkt_type;
	r[6] = skb->hash;
	r[7] = bpf_set_hash(skb, 0x12345678);
	BARRIER();
	r[8] = skb->hash;
	r[9] = bpf_get_hash_recalc(skb);
	bpf_set_hash_invalid(skb);
	BARRIER();
	r[10] = skb->hash;
	r[11] = bpf_get_route_realm(skb);
	r[12] = bpf_redirect(1, 0);
	r[13] = bpf_redirect(1, BPF_F_INGRESS);
	r[14] = bpf_redirect(1, 2);
	r[15] = bpf_redirect_peer(1, 0);
	r[16] = bpf_redirect_peer(1, 1);
	r[17] = bpf_redirect_neigh(1, 0, 0, 0);
	struct bpf_redir_neigh nh = {.nh_family = 2};
	r[18] = bpf_redirect_neigh(1, &nh, 8, 0);
	r[19] = bpf_redirect_neigh(1, &nh, sizeof(nh), 0);
	r[20] = bpf_redirect_neigh(1, 0, 0, 1);
	return TC_ACT_OK;
}

SEC("tc")
int tunnel(struct __sk_buff *skb)
{
	SLOT();
	struct bpf_tunnel_key k = {};
	__u8 *b = (__u8 *)&k;

	__builtin_memset(&k, 0x77, sizeof(k));
	r[0] = bpf_skb_get_tunnel_key(skb, &k, sizeof(k), 0);
	r[1] = hash(b, sizeof(k));
	__builtin_memset(&k, 0, sizeof(k));
	k.tunnel_id = 42;
	k.remote_ipv4 = 0x0a000063;
	k.local_ipv4 = 0x0a000001;
	k.tunnel_tos = 4;
	k.tunnel_ttl = 64;
	r[2] = bpf_skb_set_tunnel_key(skb, &k, sizeof(k), 3);
	r[3] = bpf_skb_set_tunnel_key(skb, &k, 12, 0);
	r[4] = bpf_skb_set_tunnel_key(skb, &k, sizeof(k), BPF_F_ZERO_CSUM_TX);
	__builtin_memset(&k, 0, sizeof(k));
	r[5] = bpf_skb_get_tunnel_key(skb, &k, sizeof(k), 0);
	r[6] = k.tunnel_id;
	r[7] = k.remote_ipv4;
	r[8] = k.local_ipv4;
	r[9] = k.tunnel_tos << 8 | k.tunnel_ttl;
	r[10] = bpf_skb_get_tunnel_key(skb, &k, sizeof(k), BPF_F_TUNINFO_IPV6);
	r[11] = bpf_skb_get_tunnel_key(skb, &k, sizeof(k), BPF_F_TUNINFO_FLAGS);
	r[12] = k.tunnel_flags;
	r[13] = bpf_skb_get_tunnel_key(skb, &k, 24, 0);
	r[14] = bpf_skb_get_tunnel_key(skb, &k, 10, 0);
	k.tunnel_label = 5;
	r[15] = bpf_skb_set_tunnel_key(skb, &k, sizeof(k), 0);
	k.tunnel_label = 0;
	k.remote_ipv6[0] = 0x20010db8;
	k.remote_ipv6[3] = 9;
	r[16] = bpf_skb_set_tunnel_key(skb, &k, sizeof(k), BPF_F_TUNINFO_IPV6);
	r[17] = bpf_skb_get_tunnel_key(skb, &k, sizeof(k), 0);
	__builtin_memset(&k, 0, sizeof(k));
	r[18] = bpf_skb_get_tunnel_key(skb, &k, sizeof(k), BPF_F_TUNINFO_IPV6);
	r[19] = hash(b, sizeof(k));
	r[20] = bpf_skb_get_tunnel_key(skb, &k, 8, BPF_F_TUNINFO_IPV6);
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";

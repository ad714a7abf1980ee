// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * __sk_buff.sk, once checked for NULL, is a struct bpf_sock whose common
 * fields a tc program may read: family, addresses (narrow reads too), ports,
 * state and the receive queue.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int vf_tc_sk_fields(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	__u32 h;

	if (!sk)
		return 0;
	h = sk->family + sk->src_ip4 + sk->src_port + sk->dst_port + sk->state;
	h += sk->dst_ip6[3] + *(volatile __u8 *)&sk->dst_ip4 + sk->rx_queue_mapping;
	return h == 7 ? 2 : 0;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/*
 * tc_rtp_jitter: passive RTP quality monitor on tc ingress. For every RTP
 * packet in a UDP port range it updates, per SSRC:
 *   - the RFC 3550 interarrival jitter (section 6.4.1, kept scaled by 16),
 *   - the mean transit drift per packet, i.e. sender vs. receiver clock
 *     skew, as a signed average,
 *   - the worst reordering seen, as a signed sequence-number step,
 *   - the net change of the IP TTL since the first packet, a sign that the
 *     route changed.
 * Packets are never modified or dropped.
 *
 * Built with -mcpu=v4: the signed arithmetic (s32 transit times wrapping
 * with the RTP clock, s16 sequence steps, signed division) maps onto the
 * sign-extending loads/moves and sdiv of cpu v4, and ntohs/ntohl onto bswap.
 *
 * A stream is normally steered to one CPU; the per-SSRC state is updated
 * without atomics, as a monitor can afford a rare lost update.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* .rodata knobs, set by the loader: RTP clock rate and the media ports. */
const volatile __u32 clock_rate_hz = 8000;	/* G.711 audio */
const volatile __u16 rtp_port_lo = 16384;
const volatile __u16 rtp_port_hi = 32767;

struct rtp_hdr {
	__u8 vpxcc;		/* version(2) padding(1) extension(1) CSRC count(4) */
	__u8 mpt;		/* marker(1) payload type(7) */
	__be16 seq;
	__be32 ts;
	__be32 ssrc;
};

struct rtp_stream {
	__u64 packets;
	__s64 drift_sum;	/* sum of transit differences, RTP ticks */
	__s64 drift_avg;	/* drift_sum / (packets - 1) */
	__u32 jitter_q4;	/* jitter in RTP ticks, times 16 */
	__s32 last_transit;	/* arrival - timestamp, modulo 2^32 */
	__u16 last_seq;
	__s16 worst_reorder;	/* most negative sequence step, 0 if none */
	__s64 ttl_shift;	/* sum of TTL steps: hops lost (<0) or gained */
	__u8 last_ttl;
	__u8 pad[7];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __be32);		/* SSRC as on the wire */
	__type(value, struct rtp_stream);
} streams SEC(".maps");

/* Receiver clock in RTP ticks; only differences are meaningful. */
static __always_inline __u32 rtp_now(void)
{
	__u64 now_us = bpf_ktime_get_ns() / 1000;

	return now_us * clock_rate_hz / 1000000;
}

static __always_inline void update(struct rtp_stream *st, __u16 seq, __s32 transit, __u8 ttl)
{
	__s8 ttl_step = ttl - st->last_ttl;	/* a path changes by a few hops */
	__s16 step = seq - st->last_seq;	/* wraps like the sequence number */
	__s32 d = transit - st->last_transit;	/* wraps like the RTP clock */
	__s64 absd = d < 0 ? -(__s64)d : d;

	if (step < st->worst_reorder)
		st->worst_reorder = step;
	st->drift_sum += d;
	st->packets++;
	st->drift_avg = st->drift_sum / (__s64)(st->packets - 1);
	/* J += (|D| - J) / 16, on J scaled by 16 (RFC 3550 appendix A.8) */
	st->jitter_q4 += absd - ((st->jitter_q4 + 8) >> 4);
	st->ttl_shift += ttl_step;
	st->last_transit = transit;
	st->last_seq = seq;
	st->last_ttl = ttl;
}

SEC("tc")
int tc_rtp_jitter(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct udphdr *udph;
	struct rtp_hdr *rtp;
	struct rtp_stream *st;
	__u16 dport;
	__s32 transit;
	__be32 ssrc;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    iph->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	udph = (void *)iph + iph->ihl * 4;
	rtp = (void *)(udph + 1);
	if ((void *)(rtp + 1) > data_end)
		return TC_ACT_OK;
	dport = bpf_ntohs(udph->dest);
	if (dport < rtp_port_lo || dport > rtp_port_hi || (rtp->vpxcc >> 6) != 2)
		return TC_ACT_OK;

	transit = rtp_now() - bpf_ntohl(rtp->ts);
	ssrc = rtp->ssrc;
	st = bpf_map_lookup_elem(&streams, &ssrc);
	if (st) {
		update(st, bpf_ntohs(rtp->seq), transit, iph->ttl);
	} else {
		struct rtp_stream fresh = {
			.packets = 1,
			.last_transit = transit,
			.last_seq = bpf_ntohs(rtp->seq),
			.last_ttl = iph->ttl,
		};

		bpf_map_update_elem(&streams, &ssrc, &fresh, BPF_NOEXIST);
	}
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_sensor_telemetry: aggregates reports from field sensors that send
 * small UDP datagrams to TELEMETRY_PORT, at the edge, before the stack.
 * Per sensor it keeps running sums and signed averages of temperature and
 * clock offset, the offset's phase within the sync period and the RSSI
 * range, and the largest jump of the clock offset between two reports;
 * reports weaker than a minimum RSSI are dropped as unreliable.
 * Everything else passes.
 *
 * The report format mixes signed fields of all widths and byte orders,
 * which is what -mcpu=v4 serves: sign-extending loads (s8 RSSI, s16
 * little-endian temperature, s8 knob in .rodata), bswap plus sign-extending
 * moves for the big-endian s32 offset, signed division and modulo.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define TELEMETRY_PORT	47100

/* .rodata knobs, set by the loader. */
const volatile __s8 min_rssi_dbm = -90;
const volatile __s32 sync_period_ns = 1000000;	/* the sensors resync every 1 ms */

/* Report as the sensor firmware sends it. */
struct sensor_report {
	__be32 sensor_id;
	__u8 version;
	__s8 rssi_dbm;		/* e.g. -67 */
	__s16 temp_centi_c;	/* little-endian (firmware's byte order) */
	__be32 clock_offset_ns;	/* signed, sensor clock minus reference */
};

struct sensor_stats {
	__u64 reports;
	__s64 temp_sum;		/* centi-degrees C */
	__s64 offset_sum;	/* ns */
	__s32 temp_avg;
	__s32 offset_avg_ns;
	__s32 offset_phase_ns;	/* last offset modulo the sync period, signed */
	__s32 last_offset_ns;
	__s64 max_offset_step_ns;	/* largest change between two reports */
	__s8 rssi_min;
	__s8 rssi_max;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);		/* sensor id, host order */
	__type(value, struct sensor_stats);
} sensors SEC(".maps");

SEC("xdp")
int xdp_sensor_telemetry(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct sensor_report *rep;
	struct sensor_stats *st;
	struct udphdr *udph;
	__s64 temp;
	__s32 offset;
	__s8 rssi;
	__u32 id;

	if ((void *)(iph + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    iph->protocol != IPPROTO_UDP)
		return XDP_PASS;
	udph = (void *)iph + iph->ihl * 4;
	rep = (void *)(udph + 1);
	if ((void *)(rep + 1) > data_end || udph->dest != bpf_htons(TELEMETRY_PORT))
		return XDP_PASS;
	if (rep->version != 1)
		return XDP_PASS;

	rssi = rep->rssi_dbm;
	if (rssi < min_rssi_dbm)
		return XDP_DROP;
	temp = rep->temp_centi_c;	/* this target is little-endian too */
	offset = (__s32)bpf_ntohl(rep->clock_offset_ns);
	id = bpf_ntohl(rep->sensor_id);

	st = bpf_map_lookup_elem(&sensors, &id);
	if (!st) {
		struct sensor_stats fresh = {
			.rssi_min = rssi,
			.rssi_max = rssi,
		};

		bpf_map_update_elem(&sensors, &id, &fresh, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&sensors, &id);
		if (!st)
			return XDP_PASS;
	}

	st->reports++;
	st->temp_sum += temp;
	st->offset_sum += offset;
	st->temp_avg = st->temp_sum / (__s64)st->reports;
	st->offset_avg_ns = st->offset_sum / (__s64)st->reports;
	st->offset_phase_ns = offset % sync_period_ns;
	if (st->reports > 1) {
		/* In 64 bits: two s32 offsets can be 2^32 ns apart. */
		__s64 step = (__s64)offset - st->last_offset_ns;

		if (step < 0)
			step = -step;
		if (step > st->max_offset_step_ns)
			st->max_offset_step_ns = step;
	}
	st->last_offset_ns = offset;
	if (rssi < st->rssi_min)
		st->rssi_min = rssi;
	if (rssi > st->rssi_max)
		st->rssi_max = rssi;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_redirect_devmap: redirects every frame to the port in slot 0 of a
 * one-entry devmap, which user space fills with the egress ifindex. An
 * empty slot makes bpf_redirect_map return its flags argument, XDP_ABORTED
 * here, so a forgotten map update shows up as exceptions, not as traffic.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);	/* ifindex to transmit on */
} tx_port SEC(".maps");

SEC("xdp")
int xdp_redirect_devmap(struct xdp_md *ctx)
{
	return bpf_redirect_map(&tx_port, 0, XDP_ABORTED);
}

char _license[] SEC("license") = "GPL";

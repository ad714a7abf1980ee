// SPDX-License-Identifier: BSD-2-Clause
/*
 * xdp_redirect_port: sends every frame out of one port with bpf_redirect,
 * the simplest port-to-port forwarder. The port is the .rodata knob
 * target_ifindex (3 unless the loader sets it before loading).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 target_ifindex = 3;

SEC("xdp")
int xdp_redirect_port(struct xdp_md *ctx)
{
	return bpf_redirect(target_ifindex, 0);
}

char _license[] SEC("license") = "BSD-2-Clause";

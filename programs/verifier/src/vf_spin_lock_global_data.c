// SPDX-License-Identifier: GPL-2.0
// kernel: accept
/*
 * A bpf_spin_lock that is a global variable: the .bss map's BTF type (its
 * DATASEC) names the variable, and the lock guards another global.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_spin_lock guard SEC(".bss");
__u64 frames SEC(".bss");

SEC("xdp")
int vf_spin_lock_global_data(struct xdp_md *ctx)
{
	bpf_spin_lock(&guard);
	frames++;
	bpf_spin_unlock(&guard);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";

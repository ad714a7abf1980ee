package dev.jxdp.obj;

import java.util.Locale;

/**
 * The values of enum bpf_attach_type that libbpf sets as a packet program's expected attach type
 * (include/uapi/linux/bpf.h; the TCX and NETKIT values are newer than the 6.1 headers installed
 * here). Only these matter to jxdp's hooks; the rest of the enum is for tracing and cgroups.
 */
public enum AttachType {
    XDP_DEVMAP(33), XDP_CPUMAP(35), XDP(37), TCX_INGRESS(46), TCX_EGRESS(47), NETKIT_PRIMARY(54), NETKIT_PEER(55);

    private final int id;

    AttachType(int id) {
        this.id = id;
    }

    /** The kernel's value (BPF_*). */
    public int id() {
        return id;
    }

    /** The name bpftool prints: the enum suffix in lower case. */
    public String bpftoolName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

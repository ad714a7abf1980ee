package dev.jxdp.obj;

import java.util.Locale;

/**
 * enum bpf_prog_type of include/uapi/linux/bpf.h, with the kernel's numeric ids (the order of the
 * enum; SYSCALL and NETFILTER are newer than the 6.1 headers installed here). jxdp runs
 * {@link #XDP}, {@link #SCHED_CLS} and {@link #SCHED_ACT}; the others exist so that specs and errors
 * can name what an object asks for.
 */
public enum ProgramType {
    UNSPEC, SOCKET_FILTER, KPROBE, SCHED_CLS, SCHED_ACT, TRACEPOINT, XDP, PERF_EVENT, CGROUP_SKB,
    CGROUP_SOCK, LWT_IN, LWT_OUT, LWT_XMIT, SOCK_OPS, SK_SKB, CGROUP_DEVICE, SK_MSG, RAW_TRACEPOINT,
    CGROUP_SOCK_ADDR, LWT_SEG6LOCAL, LIRC_MODE2, SK_REUSEPORT, FLOW_DISSECTOR, CGROUP_SYSCTL,
    RAW_TRACEPOINT_WRITABLE, CGROUP_SOCKOPT, TRACING, STRUCT_OPS, EXT, LSM, SK_LOOKUP, SYSCALL, NETFILTER;

    /** The kernel's value (BPF_PROG_TYPE_*). */
    public int id() {
        return ordinal();
    }

    /** The name bpftool prints ({@code xdp}, {@code sched_cls}): libbpf's prog_type_name table is the enum suffix in lower case. */
    public String bpftoolName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the types whose context is a packet: the ones a jxdp hook can run. */
    public boolean isPacketHook() {
        return this == XDP || this == SCHED_CLS || this == SCHED_ACT;
    }

    /** The type with this kernel id, or null. */
    public static ProgramType ofId(int id) {
        ProgramType[] all = values();
        return id >= 0 && id < all.length ? all[id] : null;
    }
}

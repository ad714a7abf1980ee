package dev.jxdp.obj;

import java.util.List;
import java.util.Map;

/**
 * Program type from section name, as libbpf infers it (the SEC_DEF table of tools/lib/bpf/libbpf.c),
 * for the packet program types jxdp runs.
 *
 * <p>libbpf 1.x matches these names exactly; libbpf before 1.0 matched by prefix, so objects built for
 * it name sections {@code xdp1}, {@code xdp/redirect} or {@code classifier_ingress}. jxdp accepts
 * those prefixes too (the issue asks for the older objects as well). A leading {@code ?} (libbpf 1.0:
 * do not load by default) is stripped.
 */
public final class ProgramSections {
    private ProgramSections() {}

    /** What a section name says about its programs. */
    public record Kind(ProgramType type, AttachType expectedAttachType, int flags, boolean autoload, String rule) {}

    private record Def(ProgramType type, AttachType attach, int flags) {}

    /** libbpf 1.x exact names (1.3+ for the tcx, tc/ingress, tc/egress and netkit names). */
    private static final Map<String, Def> EXACT = Map.ofEntries(
            Map.entry("xdp", new Def(ProgramType.XDP, AttachType.XDP, 0)),
            Map.entry("xdp.frags", new Def(ProgramType.XDP, AttachType.XDP, ProgramSpec.F_XDP_HAS_FRAGS)),
            Map.entry("xdp/devmap", new Def(ProgramType.XDP, AttachType.XDP_DEVMAP, 0)),
            Map.entry("xdp.frags/devmap", new Def(ProgramType.XDP, AttachType.XDP_DEVMAP, ProgramSpec.F_XDP_HAS_FRAGS)),
            Map.entry("xdp/cpumap", new Def(ProgramType.XDP, AttachType.XDP_CPUMAP, 0)),
            Map.entry("xdp.frags/cpumap", new Def(ProgramType.XDP, AttachType.XDP_CPUMAP, ProgramSpec.F_XDP_HAS_FRAGS)),
            Map.entry("tc", new Def(ProgramType.SCHED_CLS, null, 0)),
            Map.entry("tc/ingress", new Def(ProgramType.SCHED_CLS, AttachType.TCX_INGRESS, 0)),
            Map.entry("tc/egress", new Def(ProgramType.SCHED_CLS, AttachType.TCX_EGRESS, 0)),
            Map.entry("tcx/ingress", new Def(ProgramType.SCHED_CLS, AttachType.TCX_INGRESS, 0)),
            Map.entry("tcx/egress", new Def(ProgramType.SCHED_CLS, AttachType.TCX_EGRESS, 0)),
            Map.entry("netkit/primary", new Def(ProgramType.SCHED_CLS, AttachType.NETKIT_PRIMARY, 0)),
            Map.entry("netkit/peer", new Def(ProgramType.SCHED_CLS, AttachType.NETKIT_PEER, 0)),
            Map.entry("classifier", new Def(ProgramType.SCHED_CLS, null, 0)),
            Map.entry("action", new Def(ProgramType.SCHED_ACT, null, 0)));

    /** Section name prefixes libbpf before 1.0 accepted for these types (longest first). */
    private static final List<Map.Entry<String, Def>> LEGACY_PREFIXES = List.of(
            Map.entry("xdp_devmap/", new Def(ProgramType.XDP, AttachType.XDP_DEVMAP, 0)),
            Map.entry("xdp_cpumap/", new Def(ProgramType.XDP, AttachType.XDP_CPUMAP, 0)),
            Map.entry("xdp", new Def(ProgramType.XDP, AttachType.XDP, 0)),
            Map.entry("classifier", new Def(ProgramType.SCHED_CLS, null, 0)),
            Map.entry("action", new Def(ProgramType.SCHED_ACT, null, 0)));

    /**
     * libbpf names of other program types: a section named so is not a packet program, and saying
     * which type it is makes a better error than "unknown section".
     */
    private static final List<Map.Entry<String, ProgramType>> OTHER_TYPES = List.of(
            Map.entry("socket", ProgramType.SOCKET_FILTER), Map.entry("sk_reuseport", ProgramType.SK_REUSEPORT),
            Map.entry("kprobe", ProgramType.KPROBE), Map.entry("kretprobe", ProgramType.KPROBE),
            Map.entry("uprobe", ProgramType.KPROBE), Map.entry("uretprobe", ProgramType.KPROBE),
            Map.entry("ksyscall", ProgramType.KPROBE), Map.entry("usdt", ProgramType.KPROBE),
            Map.entry("tracepoint", ProgramType.TRACEPOINT), Map.entry("tp/", ProgramType.TRACEPOINT),
            Map.entry("raw_tracepoint", ProgramType.RAW_TRACEPOINT), Map.entry("raw_tp", ProgramType.RAW_TRACEPOINT),
            Map.entry("tp_btf", ProgramType.TRACING), Map.entry("fentry", ProgramType.TRACING),
            Map.entry("fexit", ProgramType.TRACING), Map.entry("fmod_ret", ProgramType.TRACING),
            Map.entry("iter", ProgramType.TRACING), Map.entry("freplace", ProgramType.EXT),
            Map.entry("lsm", ProgramType.LSM), Map.entry("perf_event", ProgramType.PERF_EVENT),
            Map.entry("lwt_", ProgramType.LWT_IN), Map.entry("cgroup_skb", ProgramType.CGROUP_SKB),
            Map.entry("cgroup/skb", ProgramType.CGROUP_SKB), Map.entry("cgroup/dev", ProgramType.CGROUP_DEVICE),
            Map.entry("cgroup/sysctl", ProgramType.CGROUP_SYSCTL), Map.entry("cgroup/", ProgramType.CGROUP_SOCK_ADDR),
            Map.entry("sockops", ProgramType.SOCK_OPS), Map.entry("sk_skb", ProgramType.SK_SKB),
            Map.entry("sk_msg", ProgramType.SK_MSG), Map.entry("lirc_mode2", ProgramType.LIRC_MODE2),
            Map.entry("flow_dissector", ProgramType.FLOW_DISSECTOR), Map.entry("struct_ops", ProgramType.STRUCT_OPS),
            Map.entry("sk_lookup", ProgramType.SK_LOOKUP), Map.entry("syscall", ProgramType.SYSCALL),
            Map.entry("netfilter", ProgramType.NETFILTER));

    /** What libbpf (1.x, else pre-1.0) infers from a section name, or null when it infers nothing jxdp can run. */
    public static Kind infer(String section) {
        boolean autoload = !section.startsWith("?");
        String name = autoload ? section : section.substring(1);
        Def def = EXACT.get(name);
        if (def != null) {
            return new Kind(def.type, def.attach, def.flags, autoload, "libbpf");
        }
        for (Map.Entry<String, Def> e : LEGACY_PREFIXES) {
            if (name.startsWith(e.getKey())) {
                Def d = e.getValue();
                return new Kind(d.type, d.attach, d.flags, autoload, "libbpf before 1.0 (prefix '" + e.getKey() + "')");
            }
        }
        return null;
    }

    /** The non-packet program type libbpf would give this section, or null. */
    public static ProgramType otherType(String section) {
        String name = section.startsWith("?") ? section.substring(1) : section;
        for (Map.Entry<String, ProgramType> e : OTHER_TYPES) {
            String p = e.getKey();
            boolean match = p.endsWith("/") || p.endsWith("_") ? name.startsWith(p)
                    : name.equals(p) || name.startsWith(p + "/") || name.startsWith(p + ".");
            if (match) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The kind for a program type the user named (iproute2: {@code tc filter ... bpf}, {@code ip link ... xdp}). */
    public static Kind named(ProgramType type, String section) {
        boolean autoload = !section.startsWith("?");
        AttachType attach = type == ProgramType.XDP ? AttachType.XDP : null;
        return new Kind(type, attach, 0, autoload, "named by the user");
    }
}

package dev.jxdp.hooks;

/**
 * TC_ACT_* of include/uapi/linux/pkt_cls.h, which direct-action classifiers (and tcx programs, whose
 * TCX_NEXT/PASS/DROP/REDIRECT are UNSPEC/OK/SHOT/REDIRECT) return. The kernel reads the return value as
 * an int: anything not listed here is treated as {@link #UNSPEC} by tcx and as "unknown, drop" by the
 * old cls_bpf path; {@link #of} returns null for it and the hook decides.
 */
public enum TcAction {
    UNSPEC(-1), OK(0), RECLASSIFY(1), SHOT(2), PIPE(3), STOLEN(4), QUEUED(5), REPEAT(6), REDIRECT(7), TRAP(8);

    private final int code;

    TcAction(int code) {
        this.code = code;
    }

    /** TC_ACT_*. */
    public int code() {
        return code;
    }

    /** The action a program's r0 names (its low 32 bits as a signed int), or null. */
    public static TcAction of(long r0) {
        int v = (int) r0;
        return v >= -1 && v <= 8 ? values()[v + 1] : null;
    }
}

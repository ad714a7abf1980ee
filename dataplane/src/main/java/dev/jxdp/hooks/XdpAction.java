package dev.jxdp.hooks;

/**
 * enum xdp_action of include/uapi/linux/bpf.h, with the kernel's numbers. A program may return any
 * 32-bit value; {@link #of} is null for the ones that are no action, which the kernel treats as
 * ABORTED after warning once per program (bpf_warn_invalid_xdp_action).
 */
public enum XdpAction {
    ABORTED(0), DROP(1), PASS(2), TX(3), REDIRECT(4);

    private final int code;

    XdpAction(int code) {
        this.code = code;
    }

    /** XDP_*. */
    public int code() {
        return code;
    }

    private static final XdpAction[] BY_CODE = values();

    /** The action a program's r0 names (its low 32 bits, as the kernel reads a u32), or null. */
    public static XdpAction of(long r0) {
        long v = r0 & 0xffff_ffffL;
        return v < BY_CODE.length ? BY_CODE[(int) v] : null;
    }
}

package dev.jxdp.verifier.ctx;

import dev.jxdp.obj.AttachType;

import dev.jxdp.obj.ProgramType;
import java.util.Optional;

/**
 * Which context accesses a program type may make: the kernel's {@code xdp_is_valid_access} and
 * {@code tc_cls_act_is_valid_access} / {@code bpf_skb_is_valid_access} (net/core/filter.c, Linux 6.18),
 * for a privileged loader and programs not bound to a device. An empty result is the kernel's
 * "invalid bpf_context access".
 */
public final class CtxRules {
    private CtxRules() {}

    /** The layout of the context a program of {@code type} gets, if jxdp runs that type. */
    public static Optional<CtxLayout> layout(ProgramType type) {
        return switch (type) {
            case XDP -> Optional.of(CtxLayout.XDP_MD);
            case SCHED_CLS, SCHED_ACT -> Optional.of(CtxLayout.SK_BUFF);
            default -> Optional.empty();
        };
    }

    /** The access, if a program of {@code type} may make it. */
    public static Optional<CtxAccess> check(ProgramType type, int off, int size, boolean write) {
        return check(type, null, off, size, write);
    }

    /** The access, if a program of {@code type} loaded with {@code expectedAttachType} (null: none) may make it. */
    public static Optional<CtxAccess> check(ProgramType type, AttachType expectedAttachType, int off, int size, boolean write) {
        boolean ok = switch (type) {
            case XDP -> xdp(off, size, write, expectedAttachType == AttachType.XDP_DEVMAP);
            case SCHED_CLS, SCHED_ACT -> tc(off, size, write);
            default -> false;
        };
        if (!ok) {
            return Optional.empty();
        }
        CtxLayout layout = layout(type).orElseThrow();
        CtxField f = layout.fieldAt(off).orElseThrow();
        return Optional.of(new CtxAccess(layout, f, off - f.offset(), size, write));
    }

    private static boolean xdp(int off, int size, boolean write, boolean devmap) {
        if (write) {
            return false; // only device-bound programs may write rx_queue_index
        }
        if (off == 20 && !devmap) {
            return false; // egress_ifindex: BPF_XDP_DEVMAP programs only
        }
        return off >= 0 && off < CtxLayout.XDP_MD.size() && off % size == 0 && size == 4;
    }

    private static boolean in(int off, int start, int size) {
        return off >= start && off < start + size;
    }

    private static boolean tc(int off, int size, boolean write) {
        if (write) {
            boolean writable = in(off, 8, 4) // mark
                    || in(off, 44, 4) // tc_index
                    || in(off, 32, 4) // priority
                    || in(off, 72, 4) // tc_classid
                    || in(off, 48, 20) // cb[0..4]
                    || in(off, 152, 8) // tstamp
                    || in(off, 12, 4); // queue_mapping
            if (!writable) {
                return false;
            }
        }
        if (in(off, 88, 52)) {
            return false; // family .. local_port: sk_skb programs only
        }
        if (off == 180) {
            return size == 1; // tstamp_type
        }
        return skb(off, size, write);
    }

    /** bpf_skb_is_valid_access. */
    private static boolean skb(int off, int size, boolean write) {
        if (off < 0 || off >= CtxLayout.SK_BUFF.size()) {
            return false;
        }
        if (off % size != 0) {
            return false;
        }
        if (in(off, 48, 20)) { // cb[]
            return off + size <= 68;
        }
        if (in(off, 100, 32) || in(off, 92, 4) || in(off, 96, 4) || in(off, 76, 4) || in(off, 140, 4) || in(off, 80, 4)) {
            return size == 4;
        }
        if (in(off, 144, 8)) {
            return false; // flow_keys
        }
        if (in(off, 152, 8)) {
            return size == 8; // tstamp
        }
        if (off == 168) {
            return !write && size == 8; // sk
        }
        if (in(off, 181, 3)) {
            return false; // padding after tstamp_type
        }
        if (in(off, 184, 8)) {
            return !write && size == 8; // hwtstamp
        }
        if (in(off, 168, 8)) {
            return false; // inside sk
        }
        if (write) {
            return size == 4;
        }
        return size <= 4 && (size & (size - 1)) == 0; // narrow loads of 32-bit fields
    }
}

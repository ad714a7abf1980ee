package dev.jxdp.helpers;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The contract of one helper for the verifier: the kernel's {@code struct bpf_func_proto} plus which
 * program families may call it. The runtime implementation must honour it: it reads and writes only
 * the memory these argument types describe and returns what {@link #ret} says.
 *
 * @param helper id, name and GPL-only flag
 * @param args argument types, r1 first (one to five)
 * @param pktAccess whether packet pointers may be passed as memory arguments ({@code .pkt_access})
 * @param changesPacketData whether the call may move or resize the packet, so that every packet
 *     pointer the program holds is invalid afterwards (the kernel's bpf_helper_changes_pkt_data)
 * @param families the program families whose func_proto returns this helper
 */
public record HelperProto(HelperId helper, RetType ret, List<ArgType> args, boolean pktAccess, boolean changesPacketData,
                          Set<HelperProtos.Family> families) {
    public HelperProto {
        Objects.requireNonNull(helper);
        Objects.requireNonNull(ret);
        args = List.copyOf(args);
        families = Set.copyOf(families);
        if (args.size() > 5) {
            throw new IllegalArgumentException("at most 5 arguments");
        }
    }

    public int id() {
        return helper.id();
    }

    public String name() {
        return helper.name();
    }

    public boolean gplOnly() {
        return helper.gplOnly();
    }

    /** The type of argument {@code i} (1-based, as the register), or null past the last. */
    public ArgType arg(int reg) {
        return reg - 1 < args.size() ? args.get(reg - 1) : null;
    }
}

package dev.jxdp.hooks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker's counters: per port and hook, the runs and each verdict; per port, each fate. Only the
 * worker writes (opaque stores, no atomic instructions: the hot path pays a load and a store), others
 * read with opaque loads, so totals are exact once the worker is quiet and close while it runs. The
 * {@link Pipeline} sums the workers.
 */
final class Counters {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Slots per port and hook: XDP actions 0-4 and "other"; TC codes -1..8 and "other"; runs. */
    static final int SLOTS = 18;
    static final int XDP_OTHER = 5;
    static final int TC_FIRST = 6;
    static final int TC_OTHER = 16;
    static final int RUNS = 17;
    private static final int HOOKS = Hook.values().length;
    private static final int FATES = Outcome.Fate.values().length;

    private final long[] verdicts;
    private final long[] fates;

    Counters(int ports) {
        verdicts = new long[ports * HOOKS * SLOTS];
        fates = new long[ports * FATES];
    }

    static int slot(Hook hook, long r0) {
        if (hook == Hook.XDP) {
            long v = r0 & 0xffff_ffffL;
            return v <= 4 ? (int) v : XDP_OTHER;
        }
        int v = (int) r0;
        return v >= -1 && v <= 8 ? TC_FIRST + v + 1 : TC_OTHER;
    }

    void verdict(Port port, Hook hook, long r0) {
        int base = (port.index() * HOOKS + hook.ordinal()) * SLOTS;
        bump(verdicts, base + slot(hook, r0));
        bump(verdicts, base + RUNS);
    }

    void fate(Port port, Outcome.Fate fate) {
        bump(fates, port.index() * FATES + fate.ordinal());
    }

    long verdicts(Port port, Hook hook, int slot) {
        return (long) LONGS.getOpaque(verdicts, (port.index() * HOOKS + hook.ordinal()) * SLOTS + slot);
    }

    long fates(Port port, Outcome.Fate fate) {
        return (long) LONGS.getOpaque(fates, port.index() * FATES + fate.ordinal());
    }

    private static void bump(long[] a, int i) {
        LONGS.setOpaque(a, i, (long) LONGS.getOpaque(a, i) + 1);
    }
}

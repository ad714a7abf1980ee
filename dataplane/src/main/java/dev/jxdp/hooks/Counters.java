package dev.jxdp.hooks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker's counters: per port and hook, each verdict (their sum is the runs: one count per run,
 * not two); per port, each fate of the frames that came in on it; and each fate of the frames the host
 * sent (which came in on no port of the pipeline). Only the worker writes, with plain increments (no atomic
 * instruction, and no ordering constraint: opaque stores kept C2 from scheduling a frame's other work
 * around them, about 2 ns of a dropped frame's 23 in the hooks); others read with opaque loads, so
 * totals are exact once the worker is quiet and close while it runs (an array element of long is one
 * 8-byte access on the 64-bit platforms JDK 25 runs on: never half an update). The {@link Pipeline}
 * sums the workers.
 */
final class Counters {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Slots per port and hook: XDP actions 0-4 and "other"; TC codes -1..8 and "other". */
    static final int SLOTS = 17;
    static final int XDP_OTHER = 5;
    static final int TC_FIRST = 6;
    static final int TC_OTHER = 16;
    private static final int HOOKS = Hook.values().length;
    private static final int FATES = Outcome.Fate.values().length;

    private final long[] verdicts;
    private final long[] fates;
    private final int hostRow;

    Counters(int ports) {
        verdicts = new long[ports * HOOKS * SLOTS];
        fates = new long[(ports + 1) * FATES]; // the last row: the host's frames
        hostRow = ports * FATES;
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
        bump(verdicts, (port.index() * HOOKS + hook.ordinal()) * SLOTS + slot(hook, r0));
    }

    void fate(Port port, Outcome.Fate fate) {
        bump(fates, port.index() * FATES + fate.ordinal());
    }

    void hostFate(Outcome.Fate fate) {
        bump(fates, hostRow + fate.ordinal());
    }

    long verdicts(Port port, Hook hook, int slot) {
        return (long) LONGS.getOpaque(verdicts, (port.index() * HOOKS + hook.ordinal()) * SLOTS + slot);
    }

    long fates(Port port, Outcome.Fate fate) {
        return (long) LONGS.getOpaque(fates, port.index() * FATES + fate.ordinal());
    }

    long hostFates(Outcome.Fate fate) {
        return (long) LONGS.getOpaque(fates, hostRow + fate.ordinal());
    }

    private static void bump(long[] a, int i) {
        a[i]++;
    }
}

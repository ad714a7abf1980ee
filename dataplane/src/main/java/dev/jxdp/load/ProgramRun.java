package dev.jxdp.load;

import dev.jxdp.exec.HelperContext;
import dev.jxdp.exec.MemoryFault;
import dev.jxdp.exec.Region;
import dev.jxdp.maps.Epochs;
import dev.jxdp.maps.RingBuf;
import dev.jxdp.maps.SpinLock;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one run of a loaded program, which its helpers share (the
 * {@link dev.jxdp.exec.Invocation#attachment() attachment} of the run): the worker, the tail calls made
 * so far (at most {@link #MAX_TAIL_CALLS}, counted across the chain, as the kernel counts them), the
 * ring buffer records reserved and not yet committed, the spin locks held, and whatever the caller
 * (the XDP/tc hooks) attached for its own helpers ({@link #hook()}, e.g. the redirect target).
 *
 * <p>The verifier makes a program release every reservation and lock before it ends (jxdp's refuses
 * at load, as the kernel's does, one that may not); for programs loaded unverified,
 * {@link LoadedProgram} still discards and unlocks what a run leaves behind, lest a busy record block
 * the ring or a lock stay taken forever.
 */
public final class ProgramRun {
    /** MAX_TAIL_CALL_CNT. */
    public static final int MAX_TAIL_CALLS = 33;

    private final LoadedProgram program;
    /** The thread that runs with it: a program keeps one per thread and reuses it (see {@link #begin}). */
    final Thread owner = Thread.currentThread();
    /** Whether a run of it is in progress (a helper may run the program again on the same thread). */
    boolean active;
    private int worker;
    private Object hook;
    int tailCalls;
    private List<Reservation> reservations;
    private List<MemorySegment> locks;

    record Reservation(RingBuf ring, MemorySegment sample, Region region) {}

    /** The owner's epoch reader (see {@link LoadedProgram#run}): kept, to save a ThreadLocal lookup per run. */
    final Epochs.Reader reader;

    ProgramRun(LoadedProgram program) {
        this.program = program;
        this.reader = program.epochReader();
    }

    /** The start of a run on {@code worker}, {@code hook} attached by the caller. */
    void begin(int worker, Object hook) {
        this.worker = worker;
        // Written only when it changes: a reference store into this long-lived object costs G1's
        // post-write barrier (see JitRun.start); so finish() keeps it, until the next run.
        if (this.hook != hook) {
            this.hook = hook;
        }
        this.tailCalls = 0;
        this.active = true;
    }

    /** The run of the program a helper is called from. */
    public static ProgramRun of(HelperContext ctx) {
        if (ctx.attachment() instanceof ProgramRun r) {
            return r;
        }
        throw new MemoryFault("this helper needs a program run by a loaded object (dev.jxdp.load.LoadedProgram)");
    }

    public LoadedProgram program() {
        return program;
    }

    public int worker() {
        return worker;
    }

    /** What the caller attached to the invocation, for its own helpers; null if nothing. */
    public Object hook() {
        return hook;
    }

    /** Tail calls made so far in this run. */
    public int tailCalls() {
        return tailCalls;
    }

    void reserved(RingBuf ring, MemorySegment sample, Region region) {
        if (reservations == null) {
            reservations = new ArrayList<>(2);
        }
        reservations.add(new Reservation(ring, sample, region));
    }

    /** Takes the reservation whose sample starts at {@code address}, or null. */
    Reservation release(long address) {
        if (reservations != null) {
            for (int i = 0; i < reservations.size(); i++) {
                if (reservations.get(i).sample().address() == address) {
                    return reservations.remove(i);
                }
            }
        }
        return null;
    }

    void locked(MemorySegment word) {
        if (locks == null) {
            locks = new ArrayList<>(1);
        }
        for (MemorySegment held : locks) {
            if (held.address() == word.address()) {
                throw new MemoryFault("bpf_spin_lock on a lock this run holds already (it would never be released)");
            }
        }
        SpinLock.lock(word, 0);
        locks.add(word);
    }

    void unlocked(MemorySegment word) {
        if (locks != null) {
            for (int i = 0; i < locks.size(); i++) {
                if (locks.get(i).address() == word.address()) {
                    locks.remove(i);
                    SpinLock.unlock(word, 0);
                    return;
                }
            }
        }
        throw new MemoryFault("bpf_spin_unlock of a lock this run does not hold");
    }

    /**
     * The end of the run: what the verifier would have made the program release; then it is free for
     * the thread's next run.
     */
    void finish() {
        active = false;
        if (reservations != null || locks != null) {
            release();
        }
    }

    /** Out of line: only programs loaded unverified get here. */
    private void release() {
        if (reservations != null) {
            for (Reservation r : reservations) {
                r.ring().commit(r.sample().address(), 0, true);
            }
            reservations = null;
        }
        if (locks != null) {
            for (MemorySegment word : locks) {
                SpinLock.unlock(word, 0);
            }
            locks = null;
        }
    }
}

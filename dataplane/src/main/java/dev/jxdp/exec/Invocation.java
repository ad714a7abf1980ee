package dev.jxdp.exec;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The inputs of one run: r1-r5 (r0 and r6-r9 start at 0, r10 at the end of the first stack frame),
 * the regions the program may touch, the packet that LD_ABS/LD_IND read (null: none, and those
 * instructions fail), the instruction budget, and what helpers see of the run beyond its memory.
 *
 * @param worker the packet worker running the program: what per-CPU maps index by and
 *     bpf_get_smp_processor_id returns (the kernel's CPU). 0 for a lone run.
 * @param attachment per-run state of whoever runs the program (the loaded object's tail-call count,
 *     the hooks' redirect target ...), handed to helpers as {@link HelperContext#attachment()}; the
 *     engines never look at it. May be null.
 * @param context the object behind the context pointer in r1, which engines may read a verified
 *     context load from ({@link ContextObject}); null: context loads go through the context's region
 * @param regions where the regions the program may touch come from: a {@link MemoryMap}, or a hook
 *     that makes it when an engine first asks ({@link #memory()})
 */
public record Invocation(long r1, long r2, long r3, long r4, long r5, MemorySource regions, MemorySegment packet, long budget,
        int worker, Object attachment, ContextObject context) {

    /**
     * 10^8 instructions: far beyond what a verified program runs (the kernel's verifier explores at
     * most 10^6 instructions and bounds every loop), yet a runaway program ends within seconds.
     */
    public static final long DEFAULT_BUDGET = 100_000_000L;

    public Invocation {
        Objects.requireNonNull(regions);
        if (budget <= 0) {
            throw new IllegalArgumentException("budget must be positive, not " + budget);
        }
        if (worker < 0) {
            throw new IllegalArgumentException("worker index must not be negative, not " + worker);
        }
    }

    /** The regions the program may touch (made now if {@link #regions()} makes them on demand). */
    public MemoryMap memory() {
        return regions.memory();
    }

    /** r1.. from {@code args} (at most five), no packet, the default budget. */
    public static Invocation of(MemoryMap memory, long... args) {
        if (args.length > 5) {
            throw new IllegalArgumentException("at most 5 arguments (r1-r5), not " + args.length);
        }
        long[] r = java.util.Arrays.copyOf(args, 5);
        return new Invocation(r[0], r[1], r[2], r[3], r[4], memory, null, DEFAULT_BUDGET, 0, null, null);
    }

    public Invocation withPacket(MemorySegment packet) {
        return new Invocation(r1, r2, r3, r4, r5, regions, packet, budget, worker, attachment, context);
    }

    public Invocation withBudget(long budget) {
        return new Invocation(r1, r2, r3, r4, r5, regions, packet, budget, worker, attachment, context);
    }

    public Invocation withWorker(int worker) {
        return new Invocation(r1, r2, r3, r4, r5, regions, packet, budget, worker, attachment, context);
    }

    public Invocation withAttachment(Object attachment) {
        return new Invocation(r1, r2, r3, r4, r5, regions, packet, budget, worker, attachment, context);
    }

    public Invocation withContext(ContextObject context) {
        return new Invocation(r1, r2, r3, r4, r5, regions, packet, budget, worker, attachment, context);
    }

    public Invocation withMemory(MemorySource memory) {
        return new Invocation(r1, r2, r3, r4, r5, memory, packet, budget, worker, attachment, context);
    }

    /**
     * The run a successful bpf_tail_call continues in: the same memory, packet, worker, attachment and context,
     * r1 = the context the program passed, r2-r5 = 0, and what is left of the budget (at least 1, so
     * that a budget used up by the caller fails on the callee's first instruction).
     */
    public Invocation tailCall(long ctx, long budgetLeft) {
        return new Invocation(ctx, 0, 0, 0, 0, regions, packet, Math.max(1, budgetLeft), worker, attachment, context);
    }

    long arg(int reg) {
        return switch (reg) {
            case 1 -> r1;
            case 2 -> r2;
            case 3 -> r3;
            case 4 -> r4;
            case 5 -> r5;
            default -> 0;
        };
    }
}

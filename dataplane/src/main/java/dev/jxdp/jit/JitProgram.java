package dev.jxdp.jit;

import dev.jxdp.exec.Executable;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Invocation;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.exec.ContextObject;
import dev.jxdp.exec.MemorySource;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Comparator;
import java.util.List;

/**
 * A program compiled to a hidden class: runs like any {@link Executable}, and tells what was
 * generated (for tests and for {@code -XX:+PrintCompilation} readers: method names are
 * {@code f<slot>} for the function entered at that slot, {@code f<slot>_<n>} for its regions).
 */
public final class JitProgram implements Executable {
    /** One generated JVM method and its bytecode size. */
    public record Method(String name, int bytecodeSize) {}

    private final Bytecode code;
    private final Helpers helpers;
    private final CompiledCode compiled;
    private final String className;
    private final List<Method> methods;
    private final byte[] classFile;

    /** Bytes of frame 0 a run zeroes ({@link ProgramFacts#stackDepth()}). */
    private final int stackDepth;

    /** {@link ProgramFacts#pointersProven()}. */
    private final boolean pointersProven;

    /** The arrays the program's inline lookups read ({@link ProgramFacts#inlineArray}). */
    private final List<ArrayValues> arrays;

    /** The hash maps the program's lookups call directly ({@link ProgramFacts#inlineHash}). */
    private final List<HashLookup> hashes;

    JitProgram(Bytecode code, Helpers helpers, CompiledCode compiled, List<Method> methods, byte[] classFile, int stackDepth,
            boolean pointersProven, List<ArrayValues> arrays, List<HashLookup> hashes) {
        this.arrays = List.copyOf(arrays);
        this.hashes = List.copyOf(hashes);
        this.stackDepth = stackDepth;
        this.pointersProven = pointersProven;
        this.code = code;
        this.helpers = helpers;
        this.compiled = compiled;
        this.className = compiled.getClass().getName();
        this.methods = List.copyOf(methods);
        this.classFile = classFile;
    }

    /** The generated class file (to inspect it: {@code ClassFile.of().parse(bytes)}, or javap). */
    public byte[] classFile() {
        return classFile.clone();
    }

    /**
     * Each thread's frames and run state for this program, reused run after run (freed with the
     * program). A caller that runs it packet after packet on one thread keeps its own through
     * {@link #onThisThread()} instead of looking it up per run. (A field remembering the last run's
     * area, checked against the running thread, once saved that lookup; with two workers running the
     * same program it was rewritten by each in turn, and the line holding it moved between their CPUs
     * at every packet.)
     */
    private final ThreadLocal<StackArea> stacks = ThreadLocal.withInitial(this::newArea);

    private StackArea newArea() {
        return newArea(Arena.ofAuto());
    }

    private StackArea newArea(Arena arena) {
        StackArea area = new StackArea(arena);
        area.run = new JitRun(code, helpers, compiled, area, stackDepth, pointersProven, arrays, hashes);
        return area;
    }

    @Override
    public long run(Invocation invocation) {
        return run(invocation, invocation.attachment());
    }

    /**
     * Unpacks the invocation and runs: no callee sees the Invocation itself, so where this small
     * method is inlined into the caller that made it (the hooks' per-packet run), C2 scalar-replaces
     * the Invocation, and a run allocates nothing.
     */
    @Override
    public long run(Invocation invocation, Object attachment) {
        return runWith(stacks.get(), invocation.r1(), invocation.r2(), invocation.r3(), invocation.r4(), invocation.r5(),
                invocation.regions(), invocation.packet(), invocation.context(), invocation.worker(), invocation.budget(), attachment);
    }

    /**
     * Runs on {@code stack}'s frames, or on frames of its own if they are in use (a helper running
     * this program again). One method, not one that calls another to run: each
     * level of calls between a packet loop and the program's memory accesses counts against C2's
     * MaxInlineLevel (15), and where the chain was one level deeper the accesses' innermost JDK
     * methods were left as calls inside the program's loops (xdp_fnv_prefix_hash 2-3x slower in
     * some JVMs, perf/README.md).
     */
    private long runWith(StackArea stack, long r1, long r2, long r3, long r4, long r5, MemorySource memory, MemorySegment packet,
            ContextObject context, int worker, long budget, Object attachment) {
        if (stack.inUse) {
            return nestedRun(r1, r2, r3, r4, r5, memory, packet, context, worker, budget, attachment);
        }
        stack.inUse = true;
        try {
            JitRun rt = stack.run;
            rt.start(memory, packet, context, worker, budget, attachment);
            try {
                return compiled.run(rt, r1, r2, r3, r4, r5);
            } catch (PacketLoadExit e) {
                return 0;
            } finally {
                rt.end();
            }
        } finally {
            stack.inUse = false;
        }
    }

    @Override
    public Executable onThisThread() {
        return new OnThread(stacks.get());
    }

    /** This program on one thread's frames, found once (see {@link Executable#onThisThread()}). */
    private final class OnThread implements Executable {
        private final StackArea stack;

        OnThread(StackArea stack) {
            this.stack = stack;
        }

        @Override
        public long run(Invocation invocation) {
            return run(invocation, invocation.attachment());
        }

        @Override
        public long run(Invocation i, Object attachment) {
            if (stack.owner != Thread.currentThread()) {
                return JitProgram.this.run(i, attachment); // another thread's: its own frames
            }
            return runWith(stack, i.r1(), i.r2(), i.r3(), i.r4(), i.r5(), i.regions(), i.packet(), i.context(), i.worker(), i.budget(),
                    attachment);
        }

        @Override
        public Executable onThisThread() {
            return JitProgram.this.onThisThread();
        }
    }

    /**
     * A helper runs this program again on this thread (or a tail call enters it again): frames and
     * state of its own for the inner run.
     */
    private long nestedRun(long r1, long r2, long r3, long r4, long r5, MemorySource memory, MemorySegment packet,
            ContextObject context, int worker, long budget, Object attachment) {
        try (Arena arena = Arena.ofConfined()) {
            return runWith(newArea(arena), r1, r2, r3, r4, r5, memory, packet, context, worker, budget, attachment);
        }
    }

    /** The hidden class's name, as HotSpot prints it ({@code dev.jxdp.jit.Program/0x...}). */
    public String className() {
        return className;
    }

    /** Every generated method with its size in bytes of JVM bytecode. */
    public List<Method> methods() {
        return methods;
    }

    /** The largest generated method. */
    public Method largestMethod() {
        return methods.stream().max(Comparator.comparingInt(Method::bytecodeSize)).orElseThrow();
    }
}

package dev.jxdp.jit;

import dev.jxdp.exec.Executable;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Invocation;
import dev.jxdp.isa.Bytecode;
import java.lang.foreign.Arena;
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

    JitProgram(Bytecode code, Helpers helpers, CompiledCode compiled, List<Method> methods, byte[] classFile, int stackDepth,
            boolean pointersProven, List<ArrayValues> arrays) {
        this.arrays = List.copyOf(arrays);
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

    /** Each thread's frames for this program, reused run after run (freed with the program). */
    private final ThreadLocal<StackArea> stacks = ThreadLocal.withInitial(() -> new StackArea(Arena.ofAuto()));

    @Override
    public long run(Invocation invocation) {
        StackArea stack = stacks.get();
        if (stack.inUse) {
            // A helper runs this program again on this thread: frames of its own for the inner run.
            try (Arena arena = Arena.ofConfined()) {
                return run(invocation, new StackArea(arena));
            }
        }
        stack.inUse = true;
        try {
            return run(invocation, stack);
        } finally {
            stack.inUse = false;
        }
    }

    private long run(Invocation invocation, StackArea stack) {
        JitRun rt = new JitRun(code, helpers, compiled, invocation, stack, stackDepth, pointersProven, arrays);
        try {
            return compiled.run(rt, invocation.r1(), invocation.r2(), invocation.r3(), invocation.r4(), invocation.r5());
        } catch (PacketLoadExit e) {
            return 0;
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

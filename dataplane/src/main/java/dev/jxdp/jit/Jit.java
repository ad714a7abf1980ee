package dev.jxdp.jit;

import dev.jxdp.exec.Engine;
import dev.jxdp.exec.ExecutionException;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.StaticCheck;
import dev.jxdp.isa.Bytecode;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The JIT engine: each program becomes a hidden class whose methods HotSpot compiles like any other
 * Java code, C2 included. Same observable semantics as {@link dev.jxdp.exec.Interpreter}: the same
 * r0, memory effects and errors (message and instruction index), with the choices documented there.
 * Where it differs, and why:
 *
 * <ul>
 *   <li><b>Instruction budget.</b> The interpreter counts each instruction; compiled code charges a
 *       whole basic block on entry ({@link JitRun#charge}). Blocks end after every branch, exit,
 *       bpf-to-bpf call, callx and LD_ABS/LD_IND, so a program fails the budget exactly when the
 *       interpreter does, with the same message at the same instruction, and never runs an
 *       instruction beyond it (no overshoot). What differs is inside that last block: the
 *       interpreter has run the instructions before the failing one, the JIT none of them, so their
 *       stores and helper calls are missing; and if one of them faults, the interpreter reports the
 *       fault and the JIT the budget. Only runaway programs get there. A verified program can skip
 *       counting ({@link ProgramFacts#countInstructions()}).
 *   <li><b>callx.</b> A callx dispatches over the program's function references (the targets of
 *       {@code ld_imm64} FUNC). A function address forged by arithmetic to another instruction runs
 *       in the interpreter and is an error here, saying so (the kernel refuses such programs).
 * </ul>
 *
 * <p>Programs the JIT cannot compile (beyond its method splitting, or a plan it cannot honour) fail
 * in {@link #prepare} with a {@link JitException} that says why; there is no fallback to the
 * interpreter.
 */
public final class Jit implements Engine {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    /** The hidden class's name before the JVM appends its suffix; it lives in this package. */
    private static final ClassDesc PROGRAM = ClassDesc.of("dev.jxdp.jit.Program");

    private final int singleMethod;
    private final int region;

    public Jit() {
        this(Estimate.SINGLE_METHOD, Estimate.REGION);
    }

    /**
     * A JIT that splits functions estimated above {@code singleMethod} bytes into regions of about
     * {@code region} bytes: tests use tiny figures to split every function of small programs.
     */
    Jit(int singleMethod, int region) {
        this.singleMethod = singleMethod;
        this.region = region;
    }

    @Override
    public JitProgram prepare(Bytecode code, Helpers helpers) {
        return prepare(code, helpers, ProgramFacts.unverified());
    }

    /**
     * Compiles {@code code} using what the verifier proved about it.
     *
     * @throws ExecutionException what every engine refuses before running (see {@link StaticCheck})
     * @throws JitException what this engine cannot compile, with the reason
     */
    public JitProgram prepare(Bytecode code, Helpers helpers, ProgramFacts facts) {
        Objects.requireNonNull(code);
        Objects.requireNonNull(helpers);
        Objects.requireNonNull(facts);
        StaticCheck.check(code);
        int budget = region;
        JitProgram.Method largest = null;
        // The estimate is an upper bound; should a method still come out too large, cut finer.
        for (int attempt = 0; attempt < 3; attempt++, budget /= 2) {
            Unit unit = new Unit(code, helpers, facts, PROGRAM, singleMethod, budget);
            byte[] bytes = build(unit);
            List<JitProgram.Method> methods = methods(bytes);
            largest = methods.stream().max(Comparator.comparingInt(JitProgram.Method::bytecodeSize)).orElseThrow();
            if (largest.bytecodeSize() < Estimate.METHOD_LIMIT) {
                return new JitProgram(code, helpers, define(bytes, unit.classData()), methods, bytes, facts.stackDepth(),
                        facts.pointersProven(), unit.arrays, unit.hashes);
            }
        }
        throw new JitException("cannot JIT-compile this program: its method " + largest.name() + " has "
                + largest.bytecodeSize() + " bytes of JVM bytecode however it is split, and HotSpot compiles none above "
                + Estimate.METHOD_LIMIT + "; run it with --interpret");
    }

    private static byte[] build(Unit unit) {
        try {
            return ClassGen.build(unit);
        } catch (IllegalArgumentException e) {
            // The class file format's own limits (constant pool, method size, branch offsets).
            throw new JitException("cannot JIT-compile this program: " + e.getMessage() + "; run it with --interpret", e);
        }
    }

    private static List<JitProgram.Method> methods(byte[] bytes) {
        ClassModel model = ClassFile.of().parse(bytes);
        List<JitProgram.Method> list = new ArrayList<>();
        for (MethodModel m : model.methods()) {
            m.findAttribute(java.lang.classfile.Attributes.code()).ifPresent(code ->
                    list.add(new JitProgram.Method(m.methodName().stringValue(), code.codeLength())));
        }
        return list;
    }

    private static CompiledCode define(byte[] bytes, List<Object> classData) {
        try {
            MethodHandles.Lookup program = LOOKUP.defineHiddenClassWithClassData(bytes, classData, true);
            return (CompiledCode) program.findConstructor(program.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (LinkageError e) {
            throw new JitException("internal JIT error: the generated class does not verify (" + e.getMessage()
                    + "); run the program with --interpret and report this", e);
        } catch (Throwable e) {
            throw new JitException("internal JIT error: cannot instantiate the generated class: " + e, e);
        }
    }
}

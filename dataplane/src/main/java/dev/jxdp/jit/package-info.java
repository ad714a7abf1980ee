/**
 * The JIT: eBPF bytecode to JVM bytecode with java.lang.classfile, one hidden class per program,
 * compiled further by HotSpot (C2 included) like any Java code. {@link dev.jxdp.jit.Jit} is the
 * engine; it has the observable semantics of the reference {@link dev.jxdp.exec.Interpreter} (the
 * differences, all about runaway or forged programs, are listed on {@code Jit}).
 *
 * <p>The pipeline, one job per class:
 * <ul>
 *   <li>{@code Cfg}: basic blocks and functions (what is reachable from slot 0, a call target or a
 *       function reference); {@code Effects} and {@code Liveness}: which registers each function
 *       takes and hands back, and which exits must check that r0 was written.
 *   <li>{@code Estimate} and {@code Splitter}: bytecode-size bounds, and the decision to compile a
 *       function as one method or as regions behind a dispatcher ({@code FunctionPlan},
 *       {@code RegionPlan}), so that no method approaches HotSpot's 8,000-byte limit.
 *   <li>{@code ClassGen} builds the class; {@code Emitter} emits the blocks of one method through
 *       {@code AluGen}, {@code JumpGen}, {@code MemoryGen} and {@code CallGen}.
 *   <li>At run time: {@code JitRun} (a run's state: checked memory, frames, budget, errors),
 *       {@code Direct} (unchecked memory), {@code AtomicOps}, {@code Ops}.
 * </ul>
 *
 * <p>The seam for the verifier is {@link dev.jxdp.jit.ProgramFacts}: per memory instruction a
 * {@link dev.jxdp.jit.MemoryAccess} (checked, or direct when proven in bounds), and whether
 * instructions need counting.
 */
package dev.jxdp.jit;

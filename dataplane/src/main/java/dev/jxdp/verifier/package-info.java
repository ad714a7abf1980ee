/**
 * jxdp's verifier: decides, as the Linux kernel's verifier does for a privileged loader (Linux 6.18 is
 * the reference), whether an XDP or tc program is safe, and records what it proved so that engines can
 * drop their run-time checks. {@link dev.jxdp.verifier.Verifier} is the entry point; it takes a
 * {@link dev.jxdp.verifier.VerifierInput} (linked code and the object's maps) and returns a
 * {@link dev.jxdp.verifier.VerifiedProgram} or throws a {@link dev.jxdp.verifier.VerifierException}
 * whose message is the kernel's wording.
 *
 * <p>The work, one job per class:
 * <ul>
 *   <li>{@code Cfg}: the code's shape (map references, subprograms, jumps, unreachable code, loops
 *       for unprivileged loaders), prune points; {@code Liveness}: registers live at each instruction.
 *   <li>{@code Checker}: the exploration of every path with an abstract {@code State} of
 *       {@code Frame}s ({@code Reg}isters and {@code StackState}), forking at undecided branches.
 *   <li>The abstract domain: {@link dev.jxdp.verifier.Tnum} (known bits) and {@code Bounds} (the
 *       32/64-bit signed/unsigned ranges kept consistent with them).
 *   <li>Per instruction class: {@code AluCheck} with {@code ScalarAlu} and {@code PointerAlu};
 *       {@code MemCheck} with {@code StackAccess} and the context rules of
 *       {@link dev.jxdp.verifier.ctx.CtxRules}; {@code JumpCheck} with {@code BranchTaken},
 *       {@code CondRefine} and {@code PacketRanges}; {@code CallCheck} (calls, exits, stack depth)
 *       and {@code HelperCheck} (the prototypes of {@link dev.jxdp.helpers.HelperProtos}).
 *   <li>{@code Pruner} (state equivalence, loop detection) and {@code Precision} (which scalars a
 *       path's safety depended on, the kernel's precision backtracking).
 *   <li>{@code VerifierLog}, {@code KernelInsnFormat}, {@code RegFormat}, {@code StatePrinter}: the log
 *       in the kernel's format.
 * </ul>
 *
 * <p>The JIT consumes the proofs through {@code dev.jxdp.jit.VerifiedFacts}; this package does not
 * depend on the JIT. {@link dev.jxdp.verifier.AsmProgram} reads the hand-assembled cases of
 * programs/verifier.
 */
package dev.jxdp.verifier;

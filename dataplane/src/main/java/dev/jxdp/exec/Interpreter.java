package dev.jxdp.exec;

import dev.jxdp.isa.Bytecode;
import java.util.Objects;

/**
 * The reference engine: runs bytecode one instruction at a time, exactly as RFC 9669 says and
 * checking everything, so that it can be the oracle for faster engines. Not fast.
 *
 * <p>Choices where the RFC leaves room, which other engines must copy:
 * <ul>
 *   <li>Registers r0-r9 start at 0 except the arguments r1-r5; reading a register never written is
 *       allowed (it reads 0 or what a callee left), but an {@code exit} whose function never wrote
 *       r0 is an error, as the kernel's "R0 !read_ok" is. A callee starts with r0 unwritten.
 *   <li>Each frame's 512-byte stack starts zeroed (see {@link CallStack}); at most 8 frames.
 *   <li>Calls leave r1-r5 as they were (see {@link Helper}); bpf-to-bpf calls preserve r6-r9 and r10.
 *   <li>Function addresses are tagged slot indexes ({@link FunctionAddress}).
 *   <li>LD_ABS/LD_IND outside the packet end the whole program with r0 = 0 (the kernel forbids them
 *       in programs with bpf-to-bpf calls, so "the function" and "the program" are the same there).
 *       Negative offsets, which the kernel maps to link-layer and network headers, are outside.
 *   <li>Atomics must be naturally aligned; other accesses may be unaligned.
 *   <li>The budget counts executed instructions; running out is an error, not a return value.
 *   <li>bpf_tail_call (with {@link Helpers#withTailCalls}): the callee runs with r1 = ctx and what is
 *       left of the budget, and its r0 is what the calling function returns (at any call depth); a
 *       failed tail call leaves r0 = 0 and unwritten, as the kernel's verifier sees it.
 *   <li>A helper's callback ({@link HelperContext#callFunction}) gets a frame of its own with r0 and
 *       r6-r9 at 0; the caller's registers are restored when it returns.
 * </ul>
 */
public final class Interpreter implements Engine {

    @Override
    public Executable prepare(Bytecode code, Helpers helpers) {
        Objects.requireNonNull(code);
        Objects.requireNonNull(helpers);
        StaticCheck.check(code);
        return invocation -> new Run(code, helpers, invocation).execute();
    }
}

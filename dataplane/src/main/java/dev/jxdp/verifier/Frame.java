package dev.jxdp.verifier;

import dev.jxdp.isa.Registers;

/**
 * The state of one function invocation on the verifier's call stack (the kernel's
 * {@code struct bpf_func_state}): registers r0-r10 and the stack.
 */
final class Frame {
    final Reg[] regs = new Reg[Registers.COUNT];
    final StackState stack;
    /** The call instruction that entered this frame, or -1 for the main program. */
    final int callsite;
    final int frameno;
    final int subprog;
    /** Callbacks this frame has started from its current helper call (the kernel's callback_depth). */
    int callbackDepth;
    /** Non-null when this frame runs a callback (bpf_loop, for_each_map_elem): what the callback may return. */
    CallbackInfo callback;

    /** How a callback frame was entered: the helper call it returns to and what it may return. */
    record CallbackInfo(int helperId, long retMin, long retMax) {}

    Frame(int callsite, int frameno, int subprog) {
        this.callsite = callsite;
        this.frameno = frameno;
        this.subprog = subprog;
        this.stack = new StackState();
        for (int i = 0; i < regs.length; i++) {
            regs[i] = new Reg();
        }
        regs[Registers.FP].markPointer(RegType.PTR_TO_STACK);
        regs[Registers.FP].frameno = frameno;
    }

    Frame(Frame o) {
        callsite = o.callsite;
        frameno = o.frameno;
        subprog = o.subprog;
        callback = o.callback;
        callbackDepth = o.callbackDepth;
        stack = new StackState(o.stack);
        for (int i = 0; i < regs.length; i++) {
            regs[i] = o.regs[i].copy();
        }
    }

    Reg reg(int r) {
        return regs[r];
    }
}

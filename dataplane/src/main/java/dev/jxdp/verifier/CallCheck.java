package dev.jxdp.verifier;

import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Registers;

/**
 * Calls and exits (the kernel's check_func_call, setup_func_entry, prepare_func_exit and the exit
 * checks of do_check): bpf-to-bpf calls get a frame of their own, at most eight deep; a function
 * returns r0 to its caller and may not return a pointer into its own stack; the program's exit needs
 * r0 and may hold no references. Helper calls are {@link HelperCheck}'s.
 */
final class CallCheck {
    static final int MAX_CALL_FRAMES = 8;

    private CallCheck() {}

    static Checker.Flow call(Checker c, Call insn) {
        c.jmpsProcessed++;
        if (c.cur.lockHeld && (insn.kind() == CallKind.KFUNC
                || insn.kind() == CallKind.HELPER && insn.imm() != SpinLock.SPIN_UNLOCK && insn.imm() != SpinLock.KPTR_XCHG)) {
            throw Reject.einval("function calls are not allowed while holding a lock");
        }
        return switch (insn.kind()) {
            case HELPER -> HelperCheck.call(c, insn.imm());
            case LOCAL -> local(c, c.insnIdx + 1 + insn.imm());
            case KFUNC -> throw Reject.einval("kernel btf_id %d is not a function", insn.imm());
        };
    }

    static Checker.Flow callx(Checker c, CallReg insn) {
        throw Reject.einval("unknown opcode %02x", insn.opcode());
    }

    private static Checker.Flow local(Checker c, int target) {
        int subprog = c.cfg.subprogAt(target);
        if (c.funcs.isGlobal(subprog)) {
            return GlobalCall.call(c, subprog);
        }
        State st = c.cur;
        Frame caller = st.frame();
        Frame callee = enterFrame(c, st, subprog, c.insnIdx);
        for (int r = Registers.R1; r <= Registers.R5; r++) {
            callee.regs[r].copyFrom(caller.regs[r]);
        }
        clearCallerSaved(c, caller);
        if (c.log.on()) {
            c.log.print("caller:\n" + StatePrinter.frame(caller, true, 0, 0) + "\ncallee:\n" + StatePrinter.frame(callee, true, 0, 0) + "\n");
        }
        c.insnIdx = target;
        return Checker.Flow.JUMPED;
    }

    /** setup_func_entry: a new frame on top of {@code st} for {@code subprog}, called from {@code callsite}. */
    static Frame enterFrame(Checker c, State st, int subprog, int callsite) {
        if (st.curframe + 1 >= MAX_CALL_FRAMES) {
            throw new Reject(Reject.E2BIG, "the call stack of " + (st.curframe + 2) + " frames is too deep");
        }
        Frame callee = new Frame(callsite, st.curframe + 1, subprog);
        st.pushFrame(callee);
        return callee;
    }

    /** After a call r0-r5 are the callee's (r0) or garbage. */
    static void clearCallerSaved(Checker c, Frame f) {
        for (int r = Registers.R0; r <= Registers.R5; r++) {
            f.regs[r].markNotInit();
        }
    }

    static Checker.Flow exit(Checker c) {
        c.jmpsProcessed++;
        State st = c.cur;
        if (st.curframe == 0 && st.lockHeld) {
            throw Reject.einval("BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region");
        }
        if (st.curframe == 0 && st.refIds.length > 0) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < st.refIds.length; i++) {
                sb.append("Unreleased reference id=").append(st.refIds[i]).append(" alloc_insn=").append(st.refInsns[i]).append('\n');
            }
            sb.append("BPF_EXIT instruction in main prog would lead to reference leak");
            throw Reject.einval(sb.toString());
        }
        if (st.curframe > 0) {
            return returnToCaller(c);
        }
        Reg r0 = c.readReg(Registers.R0);
        if (!c.privileged() && r0.type.isPointer()) {
            throw Reject.eacces("R0 leaks addr as return value");
        }
        if (st.frame().subprog != 0 && r0.type != RegType.SCALAR) {
            // a global function verified on its own: its callers take r0 for a scalar
            throw Reject.einval("At subprogram exit the register R0 is not a scalar value (%s)", RegFormat.typeName(r0));
        }
        return Checker.Flow.PATH_DONE;
    }

    /** prepare_func_exit. */
    private static Checker.Flow returnToCaller(Checker c) {
        State st = c.cur;
        Frame callee = st.frame();
        Reg r0 = callee.regs[Registers.R0];
        if (r0.type == RegType.PTR_TO_STACK) {
            throw Reject.einval("cannot return stack pointer to the caller");
        }
        Frame caller = st.frames[st.curframe - 1];
        if (callee.callback != null) {
            if (r0.type != RegType.SCALAR) {
                throw Reject.eacces("R0 not a scalar value");
            }
            Frame.CallbackInfo cb = callee.callback;
            Precision.markReg(c, Registers.R0);
            if (r0.smin < cb.retMin() || r0.smax > cb.retMax()) {
                StringBuilder sb = new StringBuilder("At callback return the register R0 has");
                boolean unknown = true;
                if (r0.smin > Long.MIN_VALUE) {
                    sb.append(" smin=").append(r0.smin);
                    unknown = false;
                }
                if (r0.smax < Long.MAX_VALUE) {
                    sb.append(" smax=").append(r0.smax);
                    unknown = false;
                }
                if (unknown) {
                    sb.append(" unknown scalar value");
                }
                sb.append(" should have been in [").append(cb.retMin()).append(", ").append(cb.retMax()).append("]");
                throw Reject.einval(sb.toString());
            }
        } else {
            caller.regs[Registers.R0].copyFrom(r0);
        }
        int callsite = callee.callsite;
        st.popFrame();
        if (callee.callback != null) {
            // back to the helper that runs the callback: it may call it again, or return
            c.insnIdx = callsite;
            Widening.afterCallback(c, st, callsite);
        } else {
            c.insnIdx = callsite + 1;
        }
        return Checker.Flow.JUMPED;
    }

    /**
     * check_max_stack_depth: along every chain of calls, the frames' stacks (each rounded up to 16
     * bytes, as the JIT lays them out) fit in 512 bytes.
     */
    static void checkMaxStackDepth(Checker c) {
        walk(c, 0, 0, 0);
    }

    private static void walk(Checker c, int subprog, int frame, int depthBefore) {
        if (frame >= MAX_CALL_FRAMES) {
            throw new Reject(Reject.E2BIG, -1, "the call stack of " + (frame + 1) + " frames is too deep !");
        }
        int depth = depthBefore + roundUp(c.stackDepth[subprog]);
        if (depth > StackAccess.MAX_BPF_STACK) {
            throw new Reject(Reject.EACCES, -1, "combined stack size of " + (frame + 1) + " calls is " + depth + ". Too large");
        }
        if (c.cfg.hasTailCall[subprog] && frame > 0 && depthBefore > 256) {
            throw new Reject(Reject.EACCES, -1, "tail_calls are not allowed when call stack of previous frames is " + depthBefore
                    + " bytes. Too large");
        }
        for (int callee : c.cfg.callees.get(subprog)) {
            if (callee == subprog) {
                continue; // recursion: the exploration already refused what is too deep
            }
            walk(c, callee, frame + 1, depth);
        }
    }

    private static int roundUp(int depth) {
        return (depth + 15) / 16 * 16;
    }
}

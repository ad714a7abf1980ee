package dev.jxdp.verifier;

import dev.jxdp.isa.Registers;

/**
 * A call to a global function (the kernel's check_func_call for a global subprog and
 * btf_check_func_arg_match): the function is not explored from the call. The caller's arguments are
 * checked against the function's BTF signature, then r0 becomes an unknown scalar and r1-r5 are
 * clobbered; the function itself is verified once, on its own ({@link Checker#run}).
 */
final class GlobalCall {
    private GlobalCall() {}

    static Checker.Flow call(Checker c, int subprog) {
        FuncSignatures.Sig sig = c.funcs.get(subprog);
        String problem = sig.problem() != null ? sig.problem() : checkArgs(c, sig);
        if (c.cur.lockHeld) {
            throw Reject.einval("%sglobal function calls are not allowed while holding a lock,\nuse static function instead",
                    problem == null ? "" : problem + "\n");
        }
        if (problem != null) {
            throw Reject.einval("%s\nCaller passes invalid args into func#%d ('%s')", problem, subprog, sig.name());
        }
        if (c.log.on()) {
            c.log.print("Func#" + subprog + " ('" + sig.name() + "') is global and assumed valid.\n");
        }
        if (c.funcs.changesPacketData(subprog)) {
            HelperCheck.clearAllPacketPointers(c.cur);
        }
        c.globalCalled[subprog] = true;
        Frame caller = c.cur.frame();
        CallCheck.clearCallerSaved(c, caller);
        caller.regs[Registers.R0].markUnknown();
        c.scratchedRegs |= 0x3f;
        return Checker.Flow.NEXT;
    }

    /** The first line the kernel logs for an argument that does not match, or null if all match. */
    private static String checkArgs(Checker c, FuncSignatures.Sig sig) {
        for (int i = 0; i < sig.args().size(); i++) {
            int regno = Registers.R1 + i;
            Reg reg = c.reg(regno);
            try {
                switch (sig.args().get(i)) {
                    case FuncSignatures.Arg.Scalar s -> {
                        if (reg.type != RegType.SCALAR) {
                            return "R" + regno + " is not a scalar";
                        }
                    }
                    case FuncSignatures.Arg.Ctx x -> {
                        checkRegOff(regno, reg);
                        if (reg.type != RegType.PTR_TO_CTX) {
                            return "arg#" + i + " expects pointer to ctx";
                        }
                    }
                    case FuncSignatures.Arg.Mem m -> checkMem(c, regno, reg, m.size());
                }
            } catch (Reject r) {
                return r.getMessage();
            }
        }
        return null;
    }

    /**
     * check_mem_reg: NULL will do; anything else must be memory the function may read and write
     * {@code size} bytes of (a pointer that may be NULL is checked as if it were not). Stack bytes
     * passed become unknown data, since the function may write them.
     */
    private static void checkMem(Checker c, int regno, Reg reg, int size) {
        if (reg.type == RegType.SCALAR && reg.var.equalsConst(0)) {
            return;
        }
        checkRegOff(regno, reg);
        boolean maybeNull = reg.maybeNull;
        reg.maybeNull = false;
        try {
            MemCheck.helperMemAccess(c, regno, size, false, true);
            MemCheck.helperMemAccess(c, regno, size, true, true);
        } finally {
            reg.maybeNull = maybeNull;
        }
    }

    /**
     * check_func_arg_reg_off with ARG_DONTCARE: memory pointers may carry offsets, other pointers (and
     * pointers that may still be NULL) must be unmodified.
     */
    private static void checkRegOff(int regno, Reg reg) {
        boolean offsetsOk = !reg.maybeNull && switch (reg.type) {
            case PTR_TO_STACK, PTR_TO_PACKET, PTR_TO_PACKET_META, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM, SCALAR -> true;
            default -> false;
        };
        if (!offsetsOk) {
            MemCheck.checkPtrOffReg(regno, reg, false);
        }
    }
}

package dev.jxdp.exec;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.AtomicOp;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.DecodeException;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.isa.Registers;

/**
 * The checks every engine makes before running a program, so that all engines refuse the same
 * programs with the same messages. Only what the code alone shows is checked here; everything that
 * depends on values is checked as the program runs.
 */
public final class StaticCheck {
    private StaticCheck() {}

    /** @throws ExecutionException naming the first offending instruction */
    public static void check(Bytecode code) {
        try {
            code.checkTargets();
        } catch (DecodeException e) {
            throw new ExecutionException(e.index(), e.getMessage());
        }
        code.forEach(StaticCheck::checkOne);
    }

    private static void checkOne(Instruction insn, int pc) {
        if (written(insn) == Registers.FP) {
            throw ExecutionException.at(pc, insn, "r10 is read-only (it is the frame pointer)");
        }
        switch (insn) {
            case LoadImm64 l when l.source() != PseudoSource.VALUE && l.source() != PseudoSource.FUNC ->
                    throw ExecutionException.at(pc, insn, "ld_imm64 with pseudo source " + l.source()
                            + ": map/func references need a loader to resolve them");
            case Call c when c.kind() == CallKind.KFUNC ->
                    throw ExecutionException.at(pc, insn, "kfunc calls need a loader to resolve them");
            default -> {}
        }
    }

    /** The register an instruction writes, or -1. Calls write r0, which is never r10. */
    static int written(Instruction insn) {
        return switch (insn) {
            case Alu a -> a.dst();
            case ByteSwap b -> b.dst();
            case LoadImm64 l -> l.dst();
            case Load l -> l.dst();
            case Atomic a when a.op() == AtomicOp.CMPXCHG -> Registers.R0;
            case Atomic a when a.fetch() -> a.src();
            case PacketLoad p -> Registers.R0;
            default -> -1;
        };
    }
}

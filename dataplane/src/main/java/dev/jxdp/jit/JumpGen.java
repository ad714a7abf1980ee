package dev.jxdp.jit;

import static java.lang.constant.ConstantDescs.CD_Integer;
import static java.lang.constant.ConstantDescs.CD_Long;

import dev.jxdp.isa.Jump;
import dev.jxdp.isa.Operand;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;

/**
 * Conditional jumps (RFC 9669 4.3) as JVM compare-and-branch to the target block's label. JMP
 * compares longs (a K operand sign-extended, also for the unsigned conditions), JMP32 the low ints;
 * unsigned conditions use the JDK's compareUnsigned, which C2 turns into an unsigned compare.
 */
final class JumpGen {
    private JumpGen() {}

    /**
     * TEST ONLY, off unless the system property {@code jxdp.test.mutant} is {@code signed-compare}: a
     * deliberately wrong JIT that compiles the signed conditions (JSGT, JSGE, JSLT, JSLE) as unsigned
     * ones, so that the kernel differential tests can show they catch a wrong JIT
     * (nic-sim's MutantJitKernelTest). Read when a program is compiled, never while it runs.
     */
    static boolean signedCompareMutant() {
        return "signed-compare".equals(System.getProperty("jxdp.test.mutant"));
    }

    static void jump(Emitter e, Jump j, Label target) {
        CodeBuilder cb = e.cb;
        if (signedCompareMutant()) {
            j = unsignedInstead(j);
        }
        boolean zero = j.src() instanceof Operand.Imm(int v) && v == 0;
        if (j.jmp32()) {
            e.loadReg(j.dst());
            cb.l2i();
            switch (j.op()) {
                case JSET -> {
                    e.loadOperand32(j.src());
                    cb.iand();
                    cb.ifne(target);
                }
                case JGT, JGE, JLT, JLE -> {
                    e.loadOperand32(j.src());
                    cb.invokestatic(CD_Integer, "compareUnsigned", Descs.I_II);
                    branchOnSign(cb, j, target);
                }
                default -> {
                    if (zero) {
                        branchOnSign(cb, j, target);
                    } else {
                        e.loadOperand32(j.src());
                        switch (j.op()) {
                            case JEQ -> cb.if_icmpeq(target);
                            case JNE -> cb.if_icmpne(target);
                            case JSGT -> cb.if_icmpgt(target);
                            case JSGE -> cb.if_icmpge(target);
                            case JSLT -> cb.if_icmplt(target);
                            default -> cb.if_icmple(target);
                        }
                    }
                }
            }
            return;
        }
        e.loadReg(j.dst());
        e.loadOperand64(j.src());
        switch (j.op()) {
            case JSET -> {
                cb.land();
                cb.lconst_0();
                cb.lcmp();
                cb.ifne(target);
            }
            case JGT, JGE, JLT, JLE -> {
                cb.invokestatic(CD_Long, "compareUnsigned", Descs.I_JJ);
                branchOnSign(cb, j, target);
            }
            default -> {
                cb.lcmp();
                branchOnSign(cb, j, target);
            }
        }
    }

    /** The mutant's jump: a signed condition replaced by its unsigned twin. */
    private static Jump unsignedInstead(Jump j) {
        return switch (j.op()) {
            case JSGT -> new Jump(j.jmp32(), dev.jxdp.isa.JumpOp.JGT, j.dst(), j.src(), j.offset());
            case JSGE -> new Jump(j.jmp32(), dev.jxdp.isa.JumpOp.JGE, j.dst(), j.src(), j.offset());
            case JSLT -> new Jump(j.jmp32(), dev.jxdp.isa.JumpOp.JLT, j.dst(), j.src(), j.offset());
            case JSLE -> new Jump(j.jmp32(), dev.jxdp.isa.JumpOp.JLE, j.dst(), j.src(), j.offset());
            default -> j;
        };
    }

    /** Branches on the int on the stack compared with 0, by the jump's condition. */
    private static void branchOnSign(CodeBuilder cb, Jump j, Label target) {
        switch (j.op()) {
            case JEQ -> cb.ifeq(target);
            case JNE -> cb.ifne(target);
            case JGT, JSGT -> cb.ifgt(target);
            case JGE, JSGE -> cb.ifge(target);
            case JLT, JSLT -> cb.iflt(target);
            case JLE, JSLE -> cb.ifle(target);
            case JSET -> throw new IllegalStateException("JSET has no sign form");
        }
    }
}

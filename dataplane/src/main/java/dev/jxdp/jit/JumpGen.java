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

    static void jump(Emitter e, Jump j, Label target) {
        CodeBuilder cb = e.cb;
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

package dev.jxdp.jit;

import static java.lang.constant.ConstantDescs.CD_Integer;
import static java.lang.constant.ConstantDescs.CD_Long;
import static java.lang.constant.ConstantDescs.CD_Short;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_short;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Operand;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.MethodTypeDesc;

/**
 * ALU, ALU64 and END (RFC 9669 4.1, 4.2) as straight-line JVM arithmetic on the register locals.
 * ALU64 works on longs; ALU works on ints and zero-extends the result, as the RFC says for every
 * 32-bit operation. Division and modulo by a constant fold the divide-by-zero case at compile time;
 * by a register they go through {@link Ops}. Byte swaps are the JDK's reverseBytes intrinsics.
 */
final class AluGen {
    private AluGen() {}

    static void alu(Emitter e, Alu a) {
        if (a.alu64()) {
            alu64(e, a);
        } else {
            alu32(e, a);
        }
        e.storeReg(a.dst());
    }

    private static void alu64(Emitter e, Alu a) {
        CodeBuilder cb = e.cb;
        Operand src = a.src();
        switch (a.op()) {
            case MOV -> e.loadOperand64(src);
            case MOVSX8 -> {
                e.loadOperand64(src);
                cb.l2i();
                cb.i2b();
                cb.i2l();
            }
            case MOVSX16 -> {
                e.loadOperand64(src);
                cb.l2i();
                cb.i2s();
                cb.i2l();
            }
            case MOVSX32 -> {
                e.loadOperand64(src);
                cb.l2i();
                cb.i2l();
            }
            case NEG -> {
                e.loadReg(a.dst());
                cb.lneg();
            }
            case LSH, RSH, ARSH -> {
                e.loadReg(a.dst());
                e.loadOperand32(src); // the JVM masks the distance to 6 bits, as the RFC does
                switch (a.op()) {
                    case LSH -> cb.lshl();
                    case RSH -> cb.lushr();
                    default -> cb.lshr();
                }
            }
            case DIV, SDIV, MOD, SMOD -> divide64(e, a.op(), a.dst(), src);
            default -> {
                e.loadReg(a.dst());
                e.loadOperand64(src);
                switch (a.op()) {
                    case ADD -> cb.ladd();
                    case SUB -> cb.lsub();
                    case MUL -> cb.lmul();
                    case OR -> cb.lor();
                    case AND -> cb.land();
                    case XOR -> cb.lxor();
                    default -> throw new IllegalStateException(a.op().toString());
                }
            }
        }
    }

    private static void divide64(Emitter e, AluOp op, int dst, Operand src) {
        CodeBuilder cb = e.cb;
        if (src instanceof Operand.Imm(int v)) {
            boolean modulo = op == AluOp.MOD || op == AluOp.SMOD;
            if (v == 0) {
                // Division by zero yields 0; modulo by zero leaves dst (RFC 9669 4.1).
                if (modulo) {
                    e.loadReg(dst);
                } else {
                    cb.lconst_0();
                }
                return;
            }
            e.loadReg(dst);
            cb.loadConstant((long) v);
            switch (op) {
                case DIV -> cb.invokestatic(CD_Long, "divideUnsigned", Descs.J_JJ);
                case MOD -> cb.invokestatic(CD_Long, "remainderUnsigned", Descs.J_JJ);
                case SDIV -> cb.ldiv();
                default -> cb.lrem();
            }
            return;
        }
        e.loadReg(dst);
        e.loadOperand64(src);
        String name = switch (op) {
            case DIV -> "udiv64";
            case SDIV -> "sdiv64";
            case MOD -> "umod64";
            default -> "smod64";
        };
        cb.invokestatic(Descs.OPS, name, Descs.J_JJ);
    }

    private static void alu32(Emitter e, Alu a) {
        CodeBuilder cb = e.cb;
        Operand src = a.src();
        switch (a.op()) {
            case MOV -> {
                if (src instanceof Operand.Imm(int v)) {
                    cb.loadConstant(v & 0xffff_ffffL);
                    return;
                }
                e.loadOperand32(src);
            }
            case MOVSX8 -> {
                e.loadOperand32(src);
                cb.i2b();
            }
            case MOVSX16 -> {
                e.loadOperand32(src);
                cb.i2s();
            }
            case NEG -> {
                e.loadReg(a.dst());
                cb.l2i();
                cb.ineg();
            }
            case DIV, SDIV, MOD, SMOD -> divide32(e, a.op(), a.dst(), src);
            default -> {
                e.loadReg(a.dst());
                cb.l2i();
                e.loadOperand32(src);
                switch (a.op()) {
                    case ADD -> cb.iadd();
                    case SUB -> cb.isub();
                    case MUL -> cb.imul();
                    case OR -> cb.ior();
                    case AND -> cb.iand();
                    case XOR -> cb.ixor();
                    case LSH -> cb.ishl(); // distance masked to 5 bits by the JVM, as by the RFC
                    case RSH -> cb.iushr();
                    case ARSH -> cb.ishr();
                    default -> throw new IllegalStateException(a.op().toString());
                }
            }
        }
        e.zeroExtend();
    }

    private static void divide32(Emitter e, AluOp op, int dst, Operand src) {
        CodeBuilder cb = e.cb;
        boolean modulo = op == AluOp.MOD || op == AluOp.SMOD;
        if (src instanceof Operand.Imm(int v) && v == 0) {
            if (modulo) {
                e.loadReg(dst);
                cb.l2i();
            } else {
                cb.iconst_0();
            }
            return;
        }
        e.loadReg(dst);
        cb.l2i();
        e.loadOperand32(src);
        if (src instanceof Operand.Imm) {
            switch (op) {
                case DIV -> cb.invokestatic(CD_Integer, "divideUnsigned", Descs.I_II);
                case MOD -> cb.invokestatic(CD_Integer, "remainderUnsigned", Descs.I_II);
                case SDIV -> cb.idiv();
                default -> cb.irem();
            }
            return;
        }
        String name = switch (op) {
            case DIV -> "udiv32";
            case SDIV -> "sdiv32";
            case MOD -> "umod32";
            default -> "smod32";
        };
        cb.invokestatic(Descs.OPS, name, Descs.I_II);
    }

    /** TO_LE only truncates (the machine is little-endian); TO_BE and SWAP reverse the bytes. */
    static void byteSwap(Emitter e, ByteSwap b) {
        CodeBuilder cb = e.cb;
        boolean swap = b.order() != ByteSwap.Order.TO_LE;
        e.loadReg(b.dst());
        switch (b.bits()) {
            case 16 -> {
                if (swap) {
                    cb.l2i();
                    cb.i2s();
                    cb.invokestatic(CD_Short, "reverseBytes", MethodTypeDesc.of(CD_short, CD_short));
                    cb.i2l();
                }
                cb.loadConstant(0xffffL);
                cb.land();
            }
            case 32 -> {
                if (swap) {
                    cb.l2i();
                    cb.invokestatic(CD_Integer, "reverseBytes", MethodTypeDesc.of(CD_int, CD_int));
                    e.zeroExtend();
                } else {
                    cb.loadConstant(0xffff_ffffL);
                    cb.land();
                }
            }
            default -> {
                if (swap) {
                    cb.invokestatic(CD_Long, "reverseBytes", MethodTypeDesc.of(CD_long, CD_long));
                }
            }
        }
        e.storeReg(b.dst());
    }
}

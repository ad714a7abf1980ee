package dev.jxdp.verifier;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.AluOp;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.Operand;

/**
 * ALU, ALU64, byte swaps and 64-bit immediate loads (the kernel's check_alu_op and check_ld_imm):
 * register reads, division by a constant zero, shift counts, moves that keep ids (so that bounds
 * learned on a copy reach the original), pointer arithmetic ({@link PointerAlu}) and scalar
 * arithmetic ({@link ScalarAlu}).
 */
final class AluCheck {
    private AluCheck() {}

    static Checker.Flow alu(Checker c, Alu insn) {
        AluOp op = insn.op();
        boolean alu64 = insn.alu64();
        int dstNo = insn.dst();
        if (op == AluOp.NEG) {
            Reg dst = c.readReg(dstNo);
            c.writeReg(dstNo);
            if (dst.type != RegType.SCALAR) {
                throw Reject.eacces("R%d pointer arithmetic with neg operator prohibited", dstNo);
            }
            ScalarAlu.apply(dst, dst.copy(), AluOp.NEG, !alu64);
            dst.id = 0;
            return Checker.Flow.NEXT;
        }
        if (op == AluOp.MOV || op.isMovsx()) {
            return mov(c, insn);
        }
        Reg src;
        if (insn.src() instanceof Operand.Reg(int r)) {
            src = c.readReg(r);
        } else {
            int imm = ((Operand.Imm) insn.src()).value();
            if ((op == AluOp.DIV || op == AluOp.SDIV || op == AluOp.MOD || op == AluOp.SMOD) && imm == 0) {
                throw Reject.einval("div by zero");
            }
            if ((op == AluOp.LSH || op == AluOp.RSH || op == AluOp.ARSH) && (imm < 0 || imm >= (alu64 ? 64 : 32))) {
                throw Reject.einval("invalid shift %d", imm);
            }
            src = new Reg();
            src.markConst(imm);
        }
        Reg dst = c.readReg(dstNo);
        c.writeReg(dstNo);
        boolean srcIsReg = insn.src() instanceof Operand.Reg;
        if (src.type != RegType.SCALAR) {
            if (dst.type != RegType.SCALAR) {
                // two pointers: only their difference, and only for privileged programs
                if (op == AluOp.SUB && c.privileged()) {
                    dst.markUnknown();
                    return Checker.Flow.NEXT;
                }
                throw Reject.eacces("R%d pointer %s pointer prohibited", dstNo, ScalarAlu.opString(op));
            }
            Precision.markReg(c, dstNo);
            PointerAlu.apply(c, dstNo, dst, src, dst.copy(), op, alu64, true);
            return Checker.Flow.NEXT;
        }
        if (dst.type != RegType.SCALAR) {
            if (insn.src() instanceof Operand.Reg(int r)) {
                Precision.markReg(c, r);
            }
            PointerAlu.apply(c, dstNo, dst, dst, srcIsReg ? src.copy() : src, op, alu64, false);
            return Checker.Flow.NEXT;
        }
        ScalarAlu.apply(dst, srcIsReg ? src.copy() : src, op, !alu64);
        dst.id = 0;
        return Checker.Flow.NEXT;
    }

    private static Checker.Flow mov(Checker c, Alu insn) {
        int dstNo = insn.dst();
        boolean alu64 = insn.alu64();
        if (insn.src() instanceof Operand.Reg(int r)) {
            Reg src = c.readReg(r);
            Reg dst = c.writeReg(dstNo);
            if (alu64) {
                if (insn.op() == AluOp.MOV) {
                    // copies share an id so that what a comparison learns about one holds for both
                    if (src.type == RegType.SCALAR && src.id == 0 && !src.var.isConst()) {
                        src.id = c.newId();
                    }
                    dst.copyFrom(src);
                    return Checker.Flow.NEXT;
                }
                int bits = insn.op().movsxBits();
                if (src.type != RegType.SCALAR) {
                    if (!c.privileged()) {
                        throw Reject.eacces("R%d sign-extension part of pointer", r);
                    }
                    dst.markUnknown();
                    return Checker.Flow.NEXT;
                }
                boolean noSext = Long.compareUnsigned(src.umax, 1L << (bits - 1)) < 0;
                if (noSext && src.id == 0 && !src.var.isConst()) {
                    src.id = c.newId();
                }
                dst.copyFrom(src);
                if (!noSext) {
                    dst.id = 0;
                }
                Bounds.coerceToSizeSx(dst, bits / 8);
                Bounds.sync(dst);
                return Checker.Flow.NEXT;
            }
            // 32-bit moves
            if (src.type == RegType.SCALAR) {
                if (insn.op() == AluOp.MOV) {
                    boolean fits32 = Long.compareUnsigned(src.umax, 0xffff_ffffL) <= 0;
                    if (fits32 && src.id == 0 && !src.var.isConst()) {
                        src.id = c.newId();
                    }
                    dst.copyFrom(src);
                    if (!fits32) {
                        dst.id = 0;
                    }
                } else {
                    int bits = insn.op().movsxBits();
                    boolean noSext = Long.compareUnsigned(src.umax, 1L << (bits - 1)) < 0;
                    if (noSext && src.id == 0 && !src.var.isConst()) {
                        src.id = c.newId();
                    }
                    dst.copyFrom(src);
                    if (!noSext) {
                        dst.id = 0;
                    }
                    Bounds.coerceSubregToSizeSx(dst, bits / 8);
                }
            } else {
                if (!c.privileged()) {
                    throw Reject.eacces("R%d partial copy of pointer", r);
                }
                dst.markUnknown();
            }
            Bounds.zext32To64(dst);
            Bounds.sync(dst);
            return Checker.Flow.NEXT;
        }
        int imm = ((Operand.Imm) insn.src()).value();
        Reg dst = c.writeReg(dstNo);
        dst.markConst(alu64 ? imm : Integer.toUnsignedLong(imm));
        return Checker.Flow.NEXT;
    }

    static Checker.Flow byteSwap(Checker c, ByteSwap insn) {
        Reg dst = c.readReg(insn.dst());
        c.writeReg(insn.dst());
        if (dst.type != RegType.SCALAR) {
            if (!c.privileged()) {
                throw Reject.eacces("R%d pointer arithmetic prohibited", insn.dst());
            }
            dst.markUnknown();
            return Checker.Flow.NEXT;
        }
        int bytes = insn.bits() / 8;
        Tnum v = dst.var;
        dst.markUnknown();
        if (insn.order() == ByteSwap.Order.TO_LE) {
            dst.var = v.cast(bytes);
        } else {
            dst.var = swap(v.cast(bytes), bytes);
        }
        Bounds.sync(dst);
        return Checker.Flow.NEXT;
    }

    /** The known bits of a byte-swapped value: value and mask are swapped alike. */
    private static Tnum swap(Tnum t, int bytes) {
        return switch (bytes) {
            case 2 -> new Tnum(Short.reverseBytes((short) t.value()) & 0xffffL, Short.reverseBytes((short) t.mask()) & 0xffffL);
            case 4 -> new Tnum(Integer.reverseBytes((int) t.value()) & 0xffff_ffffL, Integer.reverseBytes((int) t.mask()) & 0xffff_ffffL);
            default -> new Tnum(Long.reverseBytes(t.value()), Long.reverseBytes(t.mask()));
        };
    }

    /** check_ld_imm: a constant, a map, a map value (global data) or a function. */
    static Checker.Flow ldImm64(Checker c, LoadImm64 insn) {
        Reg dst = c.writeReg(insn.dst());
        switch (insn.source()) {
            case VALUE -> dst.markConst(insn.value());
            case FUNC -> {
                if (!c.in.btfFuncInfo()) {
                    throw Reject.einval("missing btf func_info");
                }
                int target = c.insnIdx + 1 + insn.imm();
                dst.markPointer(RegType.PTR_TO_FUNC);
                dst.subprog = c.cfg.subprogAt(target);
            }
            case MAP_FD, MAP_IDX -> {
                dst.markPointer(RegType.CONST_PTR_TO_MAP);
                dst.map = MapRef.of(insn.imm(), c.maps.get(insn.imm()));
            }
            case MAP_VALUE, MAP_IDX_VALUE -> {
                dst.markPointer(RegType.PTR_TO_MAP_VALUE);
                dst.map = MapRef.of(insn.imm(), c.maps.get(insn.imm()));
                dst.off = insn.nextImm();
            }
            case BTF_ID -> throw Reject.einval("unsupported ld_imm64 pseudo source");
        }
        return Checker.Flow.NEXT;
    }
}

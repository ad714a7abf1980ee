package dev.jxdp.verifier;

import dev.jxdp.isa.AluOp;

/**
 * Pointer plus or minus scalar (the kernel's adjust_ptr_min_max_vals): a constant moves the fixed
 * offset, anything else the variable offset; a packet pointer with a new variable offset gets a new
 * id, since the range learned for the old one does not apply to it.
 */
final class PointerAlu {
    /** BPF_MAX_VAR_OFF: no pointer may move further than this from its base. */
    static final long MAX_VAR_OFF = 1L << 29;

    private PointerAlu() {}

    /**
     * {@code dst = ptr op off}; {@code dst} may be the register holding {@code ptr} or (scalar +=
     * pointer) the one holding {@code off}.
     */
    static void apply(Checker c, int dstNo, Reg dst, Reg ptr, Reg off, AluOp op, boolean alu64, boolean dstIsOff) {
        boolean known = off.var.isConst();
        long sminVal = off.smin;
        long smaxVal = off.smax;
        long uminVal = off.umin;
        long umaxVal = off.umax;
        if (known && (sminVal != smaxVal || uminVal != umaxVal) || sminVal > smaxVal || Long.compareUnsigned(uminVal, umaxVal) > 0) {
            dst.markUnknown(); // offset with bounds from a dead branch
            return;
        }
        if (!alu64) {
            if (op == AluOp.SUB && c.privileged()) {
                dst.markUnknown();
                return;
            }
            throw Reject.eacces("R%d 32-bit pointer arithmetic prohibited", dstNo);
        }
        if (ptr.maybeNull) {
            throw Reject.eacces("R%d pointer arithmetic on %s prohibited, null-check it first", dstNo, RegFormat.typeName(ptr));
        }
        switch (ptr.type) {
            case PTR_TO_CTX, PTR_TO_MAP_VALUE, PTR_TO_MAP_KEY, PTR_TO_STACK, PTR_TO_PACKET_META, PTR_TO_PACKET, PTR_TO_MEM, PTR_TO_FUNC -> {}
            case CONST_PTR_TO_MAP -> {
                if (!(known && sminVal == 0 && op == AluOp.ADD)) {
                    throw Reject.eacces("R%d pointer arithmetic on %s prohibited", dstNo, RegFormat.typeName(ptr));
                }
            }
            default -> throw Reject.eacces("R%d pointer arithmetic on %s prohibited", dstNo, RegFormat.typeName(ptr));
        }
        checkSaneOffset(off, ptr.type);
        checkSaneOffset(ptr, ptr.type);
        Reg p = ptr.copy();
        long sminPtr = p.smin;
        long smaxPtr = p.smax;
        long uminPtr = p.umin;
        long umaxPtr = p.umax;
        switch (op) {
            case ADD -> {
                if (known && p.off + sminVal == (int) (p.off + sminVal)) {
                    dst.copyFrom(p);
                    dst.off = (int) (p.off + sminVal);
                    break;
                }
                dst.copyFrom(p);
                long smin = sminPtr + sminVal;
                long smax = smaxPtr + smaxVal;
                if (((sminPtr ^ smin) & (sminVal ^ smin)) < 0 || ((smaxPtr ^ smax) & (smaxVal ^ smax)) < 0) {
                    dst.smin = Long.MIN_VALUE;
                    dst.smax = Long.MAX_VALUE;
                } else {
                    dst.smin = smin;
                    dst.smax = smax;
                }
                long umin = uminPtr + uminVal;
                long umax = umaxPtr + umaxVal;
                if (Long.compareUnsigned(umin, uminPtr) < 0 || Long.compareUnsigned(umax, umaxPtr) < 0) {
                    dst.umin = 0;
                    dst.umax = -1L;
                } else {
                    dst.umin = umin;
                    dst.umax = umax;
                }
                dst.var = p.var.add(off.var);
                if (p.type.isPacket()) {
                    dst.id = c.newId();
                    dst.range = 0;
                }
            }
            case SUB -> {
                if (dstIsOff) {
                    throw Reject.eacces("R%d tried to subtract pointer from scalar", dstNo);
                }
                if (p.type == RegType.PTR_TO_STACK) {
                    throw Reject.eacces("R%d subtraction from stack pointer prohibited", dstNo);
                }
                if (known && p.off - sminVal == (int) (p.off - sminVal)) {
                    dst.copyFrom(p);
                    dst.off = (int) (p.off - sminVal);
                    break;
                }
                dst.copyFrom(p);
                long smin = sminPtr - smaxVal;
                long smax = smaxPtr - sminVal;
                if (((sminPtr ^ smaxVal) & (sminPtr ^ smin)) < 0 || ((smaxPtr ^ sminVal) & (smaxPtr ^ smax)) < 0) {
                    dst.smin = Long.MIN_VALUE;
                    dst.smax = Long.MAX_VALUE;
                } else {
                    dst.smin = smin;
                    dst.smax = smax;
                }
                if (Long.compareUnsigned(uminPtr, umaxVal) < 0) {
                    dst.umin = 0;
                    dst.umax = -1L;
                } else {
                    dst.umin = uminPtr - umaxVal;
                    dst.umax = umaxPtr - uminVal;
                }
                dst.var = p.var.sub(off.var);
                if (p.type.isPacket()) {
                    dst.id = c.newId();
                    if (sminVal < 0) {
                        dst.range = 0;
                    }
                }
            }
            case AND, OR, XOR -> throw Reject.eacces("R%d bitwise operator %s on pointer prohibited", dstNo, ScalarAlu.opString(op));
            default -> throw Reject.eacces("R%d pointer arithmetic with %s operator prohibited", dstNo, ScalarAlu.opString(op));
        }
        // pointer types carry no 32-bit bounds
        Bounds.mark32Unbounded(dst);
        checkSaneOffset(dst, ptr.type);
        Bounds.sync(dst);
    }

    /** check_reg_sane_offset. */
    static void checkSaneOffset(Reg reg, RegType ptrType) {
        boolean known = reg.var.isConst();
        long val = reg.var.value();
        String t = ptrType.logName;
        if (known && (val >= MAX_VAR_OFF || val <= -MAX_VAR_OFF)) {
            throw Reject.einval("math between %s pointer and %d is not allowed", t, val);
        }
        if (reg.off >= MAX_VAR_OFF || reg.off <= -MAX_VAR_OFF) {
            throw Reject.einval("%s pointer offset %d is not allowed", t, reg.off);
        }
        if (reg.smin == Long.MIN_VALUE) {
            throw Reject.einval("math between %s pointer and register with unbounded min value is not allowed", t);
        }
        if (reg.smin >= MAX_VAR_OFF || reg.smin <= -MAX_VAR_OFF) {
            throw Reject.einval("value %d makes %s pointer be out of bounds", reg.smin, t);
        }
    }
}

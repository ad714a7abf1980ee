package dev.jxdp.verifier;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.JumpOp;
import dev.jxdp.isa.Operand;

/**
 * Conditional jumps (the kernel's check_cond_jmp_op): decided branches follow one side only; others
 * fork, and each side learns from the comparison: scalar bounds ({@link CondRefine}, then every
 * register sharing the id), null checks of map lookups and ring buffer reservations, packet ranges
 * from comparisons with data_end or data_meta ({@link PacketRanges}).
 */
final class JumpCheck {
    private JumpCheck() {}

    static Checker.Flow cond(Checker c, Jump insn) {
        c.jmpsProcessed++;
        boolean jmp32 = insn.jmp32();
        JumpOp op = insn.op();
        int dstNo = insn.dst();
        Reg dst = c.readReg(dstNo);
        Reg src;
        int srcNo = -1;
        if (insn.src() instanceof Operand.Reg(int r)) {
            srcNo = r;
            src = c.readReg(r);
            boolean pktPair = isPktAny(dst) && isPktAny(src);
            if (!pktPair && src.type.isPointer() && !c.privileged()) {
                throw Reject.eacces("R%d pointer comparison prohibited", r);
            }
        } else {
            src = new Reg();
            src.markConst(((Operand.Imm) insn.src()).value());
        }
        int target = (int) Bytecode.targetOf(insn, c.insnIdx);
        int pred = BranchTaken.taken(dst, src, op, jmp32);
        if (pred >= 0) {
            // the outcome was decided by the values: a state with other values must not be pruned here
            if (dst.type == RegType.SCALAR) {
                Precision.markReg(c, dstNo);
            }
            if (srcNo >= 0 && src.type == RegType.SCALAR) {
                Precision.markReg(c, srcNo);
            }
        }
        if (pred == 1) {
            c.insnIdx = target;
            return Checker.Flow.JUMPED;
        }
        if (pred == 0) {
            return Checker.Flow.NEXT;
        }
        recordLinked(c, dst, srcNo >= 0 ? src : null);
        State other = c.pushBranch(target);
        Reg[] oRegs = other.frame().regs;
        Reg oDst = oRegs[dstNo];
        Reg oSrc;
        Reg fSrc;
        if (srcNo >= 0) {
            oSrc = oRegs[srcNo];
            fSrc = src;
        } else {
            oSrc = src.copy();
            fSrc = src.copy();
        }
        CondRefine.setMinMax(oDst, oSrc, dst, fSrc, op, jmp32);
        if (srcNo >= 0 && src.type == RegType.SCALAR && src.id != 0) {
            syncLinked(c.cur, src);
            syncLinked(other, oSrc);
        }
        if (dst.type == RegType.SCALAR && dst.id != 0) {
            syncLinked(c.cur, dst);
            syncLinked(other, oDst);
        }
        // reg_bounds_sanity_check: bounds that describe no value (a branch the ranges did not rule
        // out but the combination does) are forgotten, as the kernel does, not treated as dead code.
        for (Reg r : new Reg[] {oDst, oSrc, dst, fSrc}) {
            if (CondRefine.empty(r)) {
                Bounds.markUnbounded(r);
                Bounds.sync(r);
            }
        }
        // A pointer known non-null compared equal to one that may be null: the latter is not null either.
        if (!jmp32 && srcNo >= 0 && src.type.isPointer() && dst.type.isPointer() && src.maybeNull != dst.maybeNull) {
            Reg[] eq = op == JumpOp.JEQ ? oRegs : op == JumpOp.JNE ? c.regs() : null;
            if (eq != null) {
                markNotNull(src.maybeNull ? eq[srcNo] : eq[dstNo]);
            }
        }
        if (!jmp32 && srcNo < 0 && ((Operand.Imm) insn.src()).value() == 0 && (op == JumpOp.JEQ || op == JumpOp.JNE) && dst.maybeNull) {
            markPtrOrNull(c, c.cur, dstNo, op == JumpOp.JNE);
            markPtrOrNull(c, other, dstNo, op == JumpOp.JEQ);
        } else if (!PacketRanges.tryMatch(insn, dst, srcNo >= 0 ? src : null, c.cur, other, dstNo, srcNo) && dst.type.isPointer()
                && !c.privileged()) {
            throw Reject.eacces("R%d pointer comparison prohibited", dstNo);
        }
        return Checker.Flow.NEXT;
    }

    /**
     * Notes in the path's history which registers share an id with the operands: bounds this jump
     * learns reach them too, so precision needed on one is needed on all (the kernel's linked_regs).
     */
    private static void recordLinked(Checker c, Reg dst, Reg src) {
        int id1 = dst.type == RegType.SCALAR ? dst.id : 0;
        int id2 = src != null && src.type == RegType.SCALAR ? src.id : 0;
        if (id1 == 0 && id2 == 0) {
            return;
        }
        int mask = 0;
        Reg[] regs = c.regs();
        for (int r = 0; r < regs.length; r++) {
            if (regs[r].type == RegType.SCALAR && regs[r].id != 0 && (regs[r].id == id1 || regs[r].id == id2)) {
                mask |= 1 << r;
            }
        }
        boolean[] outside = {false};
        State st = c.cur;
        for (int f = 0; f <= st.curframe; f++) {
            Frame fr = st.frames[f];
            if (f != st.curframe) {
                for (Reg r : fr.regs) {
                    if (r.type == RegType.SCALAR && r.id != 0 && (r.id == id1 || r.id == id2)) {
                        outside[0] = true;
                    }
                }
            }
            for (int s = 0; s < StackState.SLOTS; s++) {
                Reg sp = fr.stack.spilled[s];
                if (sp != null && fr.stack.isSpilled(s) && sp.type == RegType.SCALAR && sp.id != 0 && (sp.id == id1 || sp.id == id2)) {
                    outside[0] = true;
                }
            }
        }
        if (Integer.bitCount(mask) > 1 || outside[0]) {
            c.recordFlags(Precision.LINKED | (outside[0] ? Precision.LINKED_OUTSIDE : 0), mask);
        }
    }

    private static boolean isPktAny(Reg r) {
        return r.type.isPacket() || r.type == RegType.PTR_TO_PACKET_END;
    }

    /** sync_linked_regs: every scalar with the same id gets the narrowed bounds. */
    static void syncLinked(State st, Reg known) {
        int id = known.id;
        st.forEachReg(r -> {
            if (r != known && r.type == RegType.SCALAR && r.id == id) {
                r.copyFrom(known);
            }
        });
    }

    private static void markNotNull(Reg r) {
        if (r.type == RegType.PTR_TO_MAP_VALUE && r.map != null && r.map.spec().inner() != null && r.map.type().isMapInMap()) {
            MapRef outer = r.map;
            r.type = RegType.CONST_PTR_TO_MAP;
            r.map = MapRef.innerOf(outer.index() >= 0 ? outer.index() : outer.outer(), outer.spec().inner());
        }
        r.maybeNull = false;
    }

    /** mark_ptr_or_null_regs: on one side of {@code if rX == 0} every copy of rX is NULL, on the other not. */
    static void markPtrOrNull(Checker c, State st, int regno, boolean isNull) {
        Reg reg = st.reg(regno);
        int id = reg.id;
        int refObjId = reg.refObjId;
        if (refObjId != 0 && refObjId == id && isNull) {
            st.release(id); // the reservation failed: nothing to release
        }
        st.forEachReg(r -> {
            if (r.maybeNull && r.id == id) {
                if (isNull) {
                    r.markConst(0);
                } else {
                    markNotNull(r);
                    if (!SpinLock.mayPointToLock(c, r)) {
                        r.id = 0;
                    }
                }
            }
        });
    }
}

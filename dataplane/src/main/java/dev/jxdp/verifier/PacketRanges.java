package dev.jxdp.verifier;

import dev.jxdp.isa.Jump;
import dev.jxdp.isa.JumpOp;

/**
 * Packet ranges learned from comparing a packet pointer with data_end (or a metadata pointer with
 * data): the kernel's try_match_pkt_pointers, find_good_pkt_pointers and mark_pkt_end. On the side
 * where {@code pkt + off <= data_end} holds, every pointer with the same id may access {@code off}
 * bytes ({@code off + 1} where the comparison was strict). 64-bit comparisons only: a 32-bit
 * comparison of pointers proves nothing, and the kernel learns nothing from it either.
 */
final class PacketRanges {
    /** MAX_PACKET_OFF. */
    private static final long MAX_PACKET_OFF = 0xffff;

    private PacketRanges() {}

    /** A packet (or metadata) pointer as it came from the context: no id, no offset. */
    private static boolean isInit(Reg r, RegType which) {
        return r.type == which && r.id == 0 && r.off == 0 && r.var.equalsConst(0);
    }

    /**
     * Returns whether the comparison was one of the packet forms (and learned what it could);
     * {@code src} is null for an immediate operand.
     */
    static boolean tryMatch(Jump insn, Reg dst, Reg src, State thisBranch, State otherBranch, int dstNo, int srcNo) {
        if (src == null || insn.jmp32()) {
            return false;
        }
        boolean dataVsEnd = dst.type == RegType.PTR_TO_PACKET && src.type == RegType.PTR_TO_PACKET_END
                || dst.type == RegType.PTR_TO_PACKET_META && isInit(src, RegType.PTR_TO_PACKET);
        boolean endVsData = dst.type == RegType.PTR_TO_PACKET_END && src.type == RegType.PTR_TO_PACKET
                || isInit(dst, RegType.PTR_TO_PACKET) && src.type == RegType.PTR_TO_PACKET_META;
        JumpOp op = insn.op();
        switch (op) {
            case JGT -> {
                if (dataVsEnd) {
                    // pkt' > pkt_end: fall-through has pkt' <= pkt_end
                    findGood(thisBranch, dst, false);
                    markPktEnd(otherBranch, dstNo, true);
                } else if (endVsData) {
                    findGood(otherBranch, src, true);
                    markPktEnd(thisBranch, srcNo, false);
                } else {
                    return false;
                }
            }
            case JLT -> {
                if (dataVsEnd) {
                    findGood(otherBranch, dst, true);
                    markPktEnd(thisBranch, dstNo, false);
                } else if (endVsData) {
                    findGood(thisBranch, src, false);
                    markPktEnd(otherBranch, srcNo, true);
                } else {
                    return false;
                }
            }
            case JGE -> {
                if (dataVsEnd) {
                    findGood(thisBranch, dst, true);
                    markPktEnd(otherBranch, dstNo, false);
                } else if (endVsData) {
                    findGood(otherBranch, src, false);
                    markPktEnd(thisBranch, srcNo, true);
                } else {
                    return false;
                }
            }
            case JLE -> {
                if (dataVsEnd) {
                    findGood(otherBranch, dst, false);
                    markPktEnd(thisBranch, dstNo, true);
                } else if (endVsData) {
                    findGood(thisBranch, src, true);
                    markPktEnd(otherBranch, srcNo, false);
                } else {
                    return false;
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** find_good_pkt_pointers, in {@code st}, for the pointer described by {@code ptr} (its id and type). */
    private static void findGood(State st, Reg ptr, boolean rightOpen) {
        if (ptr.off < 0 || ptr.off == 0 && rightOpen) {
            return; // no range
        }
        if (Long.compareUnsigned(ptr.umax, MAX_PACKET_OFF) > 0 || ptr.umax + ptr.off > MAX_PACKET_OFF) {
            return; // ptr + 2^63 may compare below data_end yet lie below the packet
        }
        int newRange = ptr.off + (rightOpen ? 1 : 0);
        RegType type = ptr.type;
        int id = ptr.id;
        st.forEachReg(r -> {
            if (r.type == type && r.id == id) {
                r.range = Math.max(r.range, newRange);
            }
        });
    }

    /** mark_pkt_end: the pointer is beyond data_end ({@code rangeOpen}: strictly) on this side. */
    private static void markPktEnd(State st, int regno, boolean rangeOpen) {
        Reg r = st.reg(regno);
        if (r.type != RegType.PTR_TO_PACKET) {
            return;
        }
        r.range = rangeOpen ? BranchTaken.BEYOND_PKT_END : BranchTaken.AT_PKT_END;
    }
}

package dev.jxdp.verifier;

import dev.jxdp.isa.JumpOp;

/**
 * Whether a comparison's outcome is decided by what the state knows (the kernel's is_branch_taken):
 * 1 always taken, 0 never, -1 either. Only decided branches avoid exploring both sides, which is how
 * loops with known bounds end.
 */
final class BranchTaken {
    /** mark_pkt_end: the pointer is known to be beyond data_end (by at least a byte) or at/beyond it. */
    static final int BEYOND_PKT_END = -2;
    static final int AT_PKT_END = -1;

    private BranchTaken() {}

    static JumpOp flip(JumpOp op) {
        return switch (op) {
            case JGT -> JumpOp.JLT;
            case JLT -> JumpOp.JGT;
            case JGE -> JumpOp.JLE;
            case JLE -> JumpOp.JGE;
            case JSGT -> JumpOp.JSLT;
            case JSLT -> JumpOp.JSGT;
            case JSGE -> JumpOp.JSLE;
            case JSLE -> JumpOp.JSGE;
            default -> op;
        };
    }

    static boolean isConst(Reg r, boolean jmp32) {
        return r.type == RegType.SCALAR && (jmp32 ? r.var.subregIsConst() : r.var.isConst());
    }

    static long constValue(Reg r, boolean jmp32) {
        return jmp32 ? r.var.value() & 0xffff_ffffL : r.var.value();
    }

    /** reg_not_null: pointer types that cannot be NULL. */
    static boolean notNull(Reg r) {
        if (r.maybeNull) {
            return false;
        }
        return r.type == RegType.PTR_TO_MAP_VALUE || r.type == RegType.PTR_TO_MAP_KEY || r.type == RegType.PTR_TO_MEM
                || r.type == RegType.PTR_TO_SOCK_COMMON;
    }

    static int taken(Reg r1, Reg r2, JumpOp op, boolean jmp32) {
        boolean pkt1 = r1.type.isPacket() || r1.type == RegType.PTR_TO_PACKET_END;
        boolean pkt2 = r2.type.isPacket() || r2.type == RegType.PTR_TO_PACKET_END;
        if (pkt1 && pkt2 && !jmp32) {
            return packet(r1, r2, op);
        }
        if (r1.type.isPointer() || r2.type.isPointer()) {
            if (!isConst(r2, jmp32)) {
                op = flip(op);
                Reg t = r1;
                r1 = r2;
                r2 = t;
            }
            if (!isConst(r2, jmp32) || !notNull(r1) || constValue(r2, jmp32) != 0) {
                return -1;
            }
            return switch (op) {
                case JEQ -> 0;
                case JNE -> 1;
                default -> -1;
            };
        }
        return scalar(r1, r2, op, jmp32);
    }

    private static int packet(Reg dst, Reg src, JumpOp op) {
        Reg pkt;
        if (src.type == RegType.PTR_TO_PACKET_END) {
            pkt = dst;
        } else if (dst.type == RegType.PTR_TO_PACKET_END) {
            pkt = src;
            op = flip(op);
        } else {
            return -1;
        }
        if (pkt.range >= 0) {
            return -1;
        }
        switch (op) {
            case JLE, JGT -> {
                if (pkt.range == BEYOND_PKT_END) {
                    return op == JumpOp.JGT ? 1 : 0;
                }
            }
            case JLT, JGE -> {
                if (pkt.range == BEYOND_PKT_END || pkt.range == AT_PKT_END) {
                    return op == JumpOp.JGE ? 1 : 0;
                }
            }
            default -> {}
        }
        return -1;
    }

    private static int scalar(Reg r1, Reg r2, JumpOp op, boolean jmp32) {
        Tnum t1 = jmp32 ? r1.var.subreg() : r1.var;
        Tnum t2 = jmp32 ? r2.var.subreg() : r2.var;
        long umin1 = jmp32 ? Integer.toUnsignedLong(r1.u32min) : r1.umin;
        long umax1 = jmp32 ? Integer.toUnsignedLong(r1.u32max) : r1.umax;
        long smin1 = jmp32 ? r1.s32min : r1.smin;
        long smax1 = jmp32 ? r1.s32max : r1.smax;
        long umin2 = jmp32 ? Integer.toUnsignedLong(r2.u32min) : r2.umin;
        long umax2 = jmp32 ? Integer.toUnsignedLong(r2.u32max) : r2.umax;
        long smin2 = jmp32 ? r2.s32min : r2.smin;
        long smax2 = jmp32 ? r2.s32max : r2.smax;
        switch (op) {
            case JEQ, JNE -> {
                int eq = op == JumpOp.JEQ ? 1 : 0;
                int ne = 1 - eq;
                if (t1.isConst() && t2.isConst()) {
                    return t1.value() == t2.value() ? eq : ne;
                }
                // known bits that disagree
                if (((t1.value() ^ t2.value()) & ~(t1.mask() | t2.mask())) != 0) {
                    return ne;
                }
                if (Long.compareUnsigned(umin1, umax2) > 0 || Long.compareUnsigned(umax1, umin2) < 0) {
                    return ne;
                }
                if (smin1 > smax2 || smax1 < smin2) {
                    return ne;
                }
                if (!jmp32) {
                    if (Integer.compareUnsigned(r1.u32min, r2.u32max) > 0 || Integer.compareUnsigned(r1.u32max, r2.u32min) < 0) {
                        return ne;
                    }
                    if (r1.s32min > r2.s32max || r1.s32max < r2.s32min) {
                        return ne;
                    }
                }
            }
            case JSET -> {
                if (!isConst(r2, jmp32)) {
                    Tnum t = t1;
                    t1 = t2;
                    t2 = t;
                    if (!isConst(r1, jmp32)) {
                        return -1;
                    }
                }
                if ((~t1.mask() & t1.value() & t2.value()) != 0) {
                    return 1;
                }
                if (((t1.mask() | t1.value()) & t2.value()) == 0) {
                    return 0;
                }
            }
            case JGT -> {
                if (Long.compareUnsigned(umin1, umax2) > 0) {
                    return 1;
                } else if (Long.compareUnsigned(umax1, umin2) <= 0) {
                    return 0;
                }
            }
            case JSGT -> {
                if (smin1 > smax2) {
                    return 1;
                } else if (smax1 <= smin2) {
                    return 0;
                }
            }
            case JLT -> {
                if (Long.compareUnsigned(umax1, umin2) < 0) {
                    return 1;
                } else if (Long.compareUnsigned(umin1, umax2) >= 0) {
                    return 0;
                }
            }
            case JSLT -> {
                if (smax1 < smin2) {
                    return 1;
                } else if (smin1 >= smax2) {
                    return 0;
                }
            }
            case JGE -> {
                if (Long.compareUnsigned(umin1, umax2) >= 0) {
                    return 1;
                } else if (Long.compareUnsigned(umax1, umin2) < 0) {
                    return 0;
                }
            }
            case JSGE -> {
                if (smin1 >= smax2) {
                    return 1;
                } else if (smax1 < smin2) {
                    return 0;
                }
            }
            case JLE -> {
                if (Long.compareUnsigned(umax1, umin2) <= 0) {
                    return 1;
                } else if (Long.compareUnsigned(umin1, umax2) > 0) {
                    return 0;
                }
            }
            case JSLE -> {
                if (smax1 <= smin2) {
                    return 1;
                } else if (smin1 > smax2) {
                    return 0;
                }
            }
        }
        return -1;
    }
}

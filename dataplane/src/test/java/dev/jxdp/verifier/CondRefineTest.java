package dev.jxdp.verifier;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.Conditions;
import dev.jxdp.isa.JumpOp;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Soundness of what comparisons teach: for random scalars and random members of them, on the side
 * of the branch the concrete comparison takes, the refined registers still contain the members; and a
 * branch is never declared impossible when the concrete comparison goes that way.
 */
class CondRefineTest {

    private static Reg sample(Random r, long[] member) {
        long a;
        long b;
        switch (r.nextInt(4)) {
            case 0 -> {
                a = r.nextInt(64);
                b = a + r.nextInt(64);
            }
            case 1 -> {
                a = r.nextInt(2000) - 1000;
                b = a + r.nextInt(2000);
            }
            case 2 -> {
                a = r.nextLong();
                b = a;
            }
            default -> {
                a = 0;
                b = 0xffff_ffffL;
            }
        }
        Reg reg = new Reg();
        reg.markUnknown();
        reg.smin = a;
        reg.smax = b;
        if (r.nextBoolean()) {
            reg.var = new Tnum(0, r.nextBoolean() ? 0x3c : 0xff0f).intersect(Tnum.range(Math.max(a, 0), Math.max(b, 0)));
        }
        Bounds.sync(reg);
        // a member: a value within the bounds and the known bits, found by trying
        for (int i = 0; i < 200; i++) {
            long m = reg.var.value() | (r.nextLong() & reg.var.mask());
            if (contains(reg, m)) {
                member[0] = m;
                return reg;
            }
        }
        member[0] = reg.umin;
        return contains(reg, reg.umin) ? reg : null;
    }

    private static boolean contains(Reg r, long v) {
        return r.var.contains(Tnum.constant(v)) && r.smin <= v && v <= r.smax && Long.compareUnsigned(r.umin, v) <= 0
                && Long.compareUnsigned(v, r.umax) <= 0 && r.s32min <= (int) v && (int) v <= r.s32max
                && Integer.compareUnsigned(r.u32min, (int) v) <= 0 && Integer.compareUnsigned((int) v, r.u32max) <= 0;
    }

    @Test
    void refinedRegistersKeepTheValuesThatTakeTheBranch() {
        Random r = new Random(11);
        int checked = 0;
        for (int i = 0; i < 200_000; i++) {
            long[] m1 = new long[1];
            long[] m2 = new long[1];
            Reg a = sample(r, m1);
            Reg b = r.nextInt(3) == 0 ? constant(r.nextInt(300) - 20, m2) : sample(r, m2);
            if (a == null || b == null) {
                continue;
            }
            JumpOp op = JumpOp.values()[r.nextInt(JumpOp.values().length)];
            boolean jmp32 = r.nextBoolean();
            boolean taken = Conditions.taken(op, jmp32, m1[0], m2[0]);
            int pred = BranchTaken.taken(a, b, op, jmp32);
            String what = op + (jmp32 ? "32 " : " ") + a + " (" + m1[0] + "), " + b + " (" + m2[0] + ")";
            assertTrue(pred == -1 || (pred == 1) == taken, () -> "decided wrongly: " + what);
            Reg t1 = a.copy();
            Reg t2 = b.copy();
            Reg f1 = a.copy();
            Reg f2 = b.copy();
            CondRefine.setMinMax(t1, t2, f1, f2, op, jmp32);
            Reg x = taken ? t1 : f1;
            Reg y = taken ? t2 : f2;
            if (!CondRefine.empty(x) && !CondRefine.empty(y)) {
                assertTrue(contains(x, m1[0]) && contains(y, m2[0]), () -> what + " (" + (taken ? "taken" : "not taken") + ") refined to "
                        + x + ", " + y);
                checked++;
            }
        }
        assertTrue(checked > 100_000, "cases checked: " + checked);
    }

    private static Reg constant(long v, long[] member) {
        Reg r = new Reg();
        r.markConst(v);
        member[0] = v;
        return r;
    }
}

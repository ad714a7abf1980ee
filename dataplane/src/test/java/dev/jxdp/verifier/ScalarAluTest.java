package dev.jxdp.verifier;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.exec.Arithmetic;
import dev.jxdp.isa.AluOp;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Soundness of the scalar domain: for random abstract values and random members of them, the
 * abstract result of every operation contains the concrete result the interpreter computes.
 */
class ScalarAluTest {

    /** A random scalar: a range, possibly narrowed by known bits, with a member drawn from it. */
    private record Sample(Reg reg, long member) {}

    private static Sample sample(Random r) {
        long a;
        long b;
        switch (r.nextInt(4)) {
            case 0 -> {
                a = r.nextInt(256);
                b = a + r.nextInt(256);
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
                a = r.nextLong() >> r.nextInt(64);
                b = a + (r.nextLong() >>> r.nextInt(1, 64));
                if (b < a) {
                    b = Long.MAX_VALUE;
                }
            }
        }
        Reg reg = new Reg();
        reg.markUnknown();
        reg.smin = a;
        reg.smax = b;
        Bounds.sync(reg);
        long m = a + (b == a ? 0 : Math.floorMod(r.nextLong(), b - a + 1 == 0 ? Long.MAX_VALUE : b - a + 1));
        if (m < a || m > b) {
            m = a;
        }
        return new Sample(reg, m);
    }

    private static boolean contains(Reg r, long v) {
        return r.var.contains(Tnum.constant(v)) && r.smin <= v && v <= r.smax && Long.compareUnsigned(r.umin, v) <= 0
                && Long.compareUnsigned(v, r.umax) <= 0 && r.s32min <= (int) v && (int) v <= r.s32max
                && Integer.compareUnsigned(r.u32min, (int) v) <= 0 && Integer.compareUnsigned((int) v, r.u32max) <= 0;
    }

    @Test
    void resultsContainConcreteResults() {
        Random r = new Random(7);
        AluOp[] ops = {AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.AND, AluOp.OR, AluOp.XOR, AluOp.LSH, AluOp.RSH, AluOp.ARSH,
                AluOp.DIV, AluOp.MOD, AluOp.NEG};
        for (int i = 0; i < 100_000; i++) {
            Sample d = sample(r);
            Sample s = sample(r);
            AluOp op = ops[r.nextInt(ops.length)];
            boolean alu32 = r.nextBoolean();
            if (op == AluOp.LSH || op == AluOp.RSH || op == AluOp.ARSH) {
                int sh = r.nextInt(alu32 ? 32 : 64);
                s = new Sample(constant(sh), sh);
            }
            Reg dst = d.reg().copy();
            Reg src = op == AluOp.NEG ? dst.copy() : s.reg().copy();
            ScalarAlu.apply(dst, src, op, alu32);
            long expected = alu32 ? Arithmetic.alu32(op, d.member(), s.member()) : Arithmetic.alu64(op, d.member(), s.member());
            Sample fd = d;
            Sample fs = s;
            assertTrue(contains(dst, expected), () -> op + (alu32 ? "32 " : " ") + fd.reg() + " (" + fd.member() + ") , " + fs.reg()
                    + " (" + fs.member() + ") gave " + dst + " without " + expected);
        }
    }

    private static Reg constant(long v) {
        Reg r = new Reg();
        r.markConst(v);
        return r;
    }
}

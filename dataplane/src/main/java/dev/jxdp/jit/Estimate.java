package dev.jxdp.jit;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.ByteSwap;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.CallReg;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.Goto;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Jump;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PacketLoad;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;

/**
 * Upper bounds on the JVM bytecode the generators emit, so that the {@link Splitter} can cut methods
 * before building them. Each figure assumes the widest encodings (ldc_w/ldc2_w constants, 2-byte
 * local loads, r0's written-flag store) and counts what the generator in the comment emits; a test
 * checks the bound against real generated code, and {@link ClassGen} checks every built method
 * against {@link #METHOD_LIMIT}.
 */
final class Estimate {
    /** HotSpot's HugeMethodLimit: larger methods are never compiled (-XX:-DontCompileHugeMethods aside). */
    static final int METHOD_LIMIT = 8000;
    /** A function whose estimate fits in this stays one method. */
    static final int SINGLE_METHOD = 6000;
    /** Target size of one region of a split function: small enough that C2 compiles it quickly and whole. */
    static final int REGION = 2500;
    /** Blocks are cut into pieces of at most this (straight-line code of thousands of instructions). */
    static final int BLOCK = 600;

    /** A function's own method: zeroing the registers it does not take, r0's flag, a jump to the entry. */
    static final int FUNCTION_OVERHEAD = 10 * 3 + 3 + 3;
    /** Block entry: instruction counting (aload, ldc, ldc, invokevirtual) and a possible goto. */
    static final int BLOCK_OVERHEAD = 16;
    /** Leaving a region for a block of another: 10 registers and r0's flag saved, the target id returned. */
    static final int STUB = 10 * 7 + 8 + 4;
    /** Entering a region: 10 registers and r0's flag loaded, tableswitch header and default. */
    static final int REGION_OVERHEAD = 10 * 6 + 8 + 16 + 12;
    /** Each entry block of a region: one tableswitch slot. */
    static final int REGION_ENTRY = 4;
    /** A local call: enter, the call with up to 10 arguments, leave, reload of r1-r5. */
    private static final int LOCAL_CALL = 9 + 26 + 5 + 4 + 30;

    private Estimate() {}

    /** Bytes of one instruction. */
    static int of(Instruction insn) {
        return switch (insn) {
            // lload, ldc2_w, [l2i, l2i], op or invokestatic, i2l ldc2_w land, lstore, flag
            case Alu a -> 20;
            // lload, l2i i2s, invokestatic, i2l ldc2_w land, lstore, flag
            case ByteSwap b -> 18;
            // lload l2i, ldc2_w, invokestatic, if<cond>
            case Jump j -> 16;
            case Goto g -> 5;
            // pc store (7), getstatic, aload, 5 lloads, invokeinterface, lstore, flag, handler (9); an
            // inline array lookup (CallGen.inlineArrayLookup) is at most 50, a direct hash lookup
            // (CallGen.hashLookup) about 30
            case Call c when c.kind() == CallKind.HELPER -> 7 + 3 + 1 + 10 + 5 + 5 + 9 + 4 + 6;
            case Call c -> LOCAL_CALL;
            // aload, lload, ldc_w, 10 lloads, invokestatic, r0 and r1-r5 back
            case CallReg c -> 1 + 2 + 3 + 20 + 3 + 5 + 30;
            // r0 check (13), needOut stores (30), return (region: 10)
            case Exit e -> 13 + 30 + 12;
            case LoadImm64 l -> 9;
            // aload, lload, ldc2_w, ladd, ldc_w pc, invokevirtual, sign extension, lstore, flag
            case Load l -> 1 + 2 + 4 + 3 + 3 + 3 + 2 + 5;
            case Store s -> 1 + 2 + 4 + 3 + 3 + 3;
            case StoreReg s -> 1 + 2 + 4 + 2 + 3 + 3;
            // word (aload, lload, ldc2_w ladd, iconst, ldc_w, invokevirtual, lconst), r0, src, invokestatic, store
            case Atomic a -> 1 + 2 + 4 + 1 + 3 + 3 + 1 + 2 + 2 + 3 + 5;
            // aload, lload ldc2_w ladd l2i, ldc_w pc, invokevirtual, lstore, flag
            case PacketLoad p -> 1 + 7 + 3 + 3 + 5;
        };
    }
}

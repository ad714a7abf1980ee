package dev.jxdp.hooks;

import dev.jxdp.exec.HelperContext;
import dev.jxdp.exec.MemoryFault;
import java.lang.foreign.MemorySegment;

/** Argument checks the verifier would make for packet helpers, made at run time instead. */
final class HelperArgs {
    private HelperArgs() {}

    /** ARG_PTR_TO_CTX: r1 must be the context the program was given. */
    static PacketRun context(HelperContext ctx, long r1, String helper) {
        PacketRun run = PacketRun.of(ctx);
        if (!run.isContext(r1)) {
            throw new MemoryFault(helper + ": R1 = 0x" + Long.toHexString(r1) + " is not the program's context (the verifier wants ctx)");
        }
        return run;
    }

    /** ARG_PTR_TO_MEM of {@code size} bytes, readable (and writable if {@code write}); an empty slice for size 0. */
    static MemorySegment memory(HelperContext ctx, long address, long size, boolean write) {
        if (size == 0) {
            return MemorySegment.ofArray(new byte[0]);
        }
        return ctx.memory().slice(address, size, write);
    }

    /** A 32-bit helper argument (u32 in the prototype). */
    static long u32(long r) {
        return r & 0xffff_ffffL;
    }
}

package dev.jxdp.jit;

/**
 * Thrown by an LD_ABS/LD_IND outside the packet: it ends the whole program with r0 = 0, from however
 * deep a call, so it unwinds to {@link JitProgram#run}. One shared instance without a stack trace:
 * it is control flow, not an error.
 */
final class PacketLoadExit extends RuntimeException {
    static final PacketLoadExit INSTANCE = new PacketLoadExit();

    private PacketLoadExit() {
        super("LD_ABS/LD_IND outside the packet", null, false, false);
    }
}

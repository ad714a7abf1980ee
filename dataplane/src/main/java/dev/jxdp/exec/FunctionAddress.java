package dev.jxdp.exec;

/**
 * What a function address ({@code ld_imm64} with pseudo source FUNC, used by {@code callx}) is in
 * jxdp: the callee's slot index under a tag in the upper 32 bits. The tag keeps the value clear of
 * every real user-space address (those stay below 2^47), so a function address used as a data
 * pointer is refused by the {@link MemoryMap} like any stray pointer, and a callx to data fails too.
 * The kernel hands out JITed code addresses instead; a verified program can only call them, never
 * inspect them, so the choice is not observable.
 */
public final class FunctionAddress {
    /** "BPF FUNC" in the top half: 0xbf00_f00c_xxxx_xxxx. */
    public static final long TAG = 0xbf00_f00cL << 32;

    private FunctionAddress() {}

    public static long of(int slot) {
        if (slot < 0) {
            throw new IllegalArgumentException("negative slot " + slot);
        }
        return TAG | slot;
    }

    /** The slot a function address names, or -1 if {@code value} is not one. */
    public static int slotOf(long value) {
        if ((value & 0xffff_ffff_0000_0000L) != TAG || (int) value < 0) {
            return -1;
        }
        return (int) value;
    }
}

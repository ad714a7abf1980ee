package dev.jxdp.maps;

/**
 * What a program holds for a map (the kernel's {@code struct bpf_map *}): the value an
 * {@code ld_imm64} map reference (BPF_PSEUDO_MAP_FD) loads, what an outer map's lookup returns, and
 * what the map helpers take in r1. It is the map's id in its {@link MapTable} under a tag in the
 * upper 32 bits, like {@link dev.jxdp.exec.FunctionAddress}: the tag keeps it clear of every real
 * user-space address (below 2^47), so a handle used as a data pointer is refused by the checked
 * memory, and a stray number is refused by the helpers. A verified program can only pass a map
 * pointer to helpers or compare it with NULL, so the representation is not observable.
 */
public final class MapHandle {
    /** "BPF MAP" in the top half: 0xbf00_3a90_xxxx_xxxx. */
    public static final long TAG = 0xbf00_3a90L << 32;

    private MapHandle() {}

    public static long of(int id) {
        if (id < 0) {
            throw new IllegalArgumentException("negative map id " + id);
        }
        return TAG | id;
    }

    /** The map id a handle names, or -1 if {@code value} is not a handle. */
    public static int idOf(long value) {
        if ((value & 0xffff_ffff_0000_0000L) != TAG || (int) value < 0) {
            return -1;
        }
        return (int) value;
    }
}

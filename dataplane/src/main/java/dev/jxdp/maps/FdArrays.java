package dev.jxdp.maps;

/**
 * What the kernel's "fd arrays" (prog arrays, perf event arrays, array-of-maps, and the devmap, cpumap
 * and xskmap that share their rules) check at creation: fd_array_map_alloc_check.
 */
final class FdArrays {
    private FdArrays() {}

    /** fd_array_map_alloc_check: u32 values (fds), no program access flags, then the array checks. */
    static int check(MapDefinition def) {
        if (def.valueSize() != 4) {
            return -Errnos.EINVAL;
        }
        if ((def.flags() & (MapFlags.RDONLY_PROG | MapFlags.WRONLY_PROG)) != 0) {
            return -Errnos.EINVAL;
        }
        return ArrayMap.check(def);
    }

    /** The u32 a 4-byte value holds. */
    static int u32(java.lang.foreign.MemorySegment value) {
        return value.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0);
    }
}

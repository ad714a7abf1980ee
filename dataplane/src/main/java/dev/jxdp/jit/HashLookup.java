package dev.jxdp.jit;

import dev.jxdp.exec.Region;

/**
 * A HASH map as the JIT calls it where the verifier proved that a bpf_map_lookup_elem names it on
 * every path and that the key pointer is readable: one direct call on a constant of the program's
 * class instead of the helper (its lambda, the map table, a key segment, a value segment and a
 * region per lookup). The loader makes these (the JIT does not know the maps package).
 */
public interface HashLookup {
    /**
     * bpf_map_lookup_elem with the key read where it is: the value's address, or 0 for no element.
     *
     * @param keyAddress the key, the map's key size of bytes the verifier proved readable
     */
    long lookup(long keyAddress);

    /** The region the lookup helper would expose for the value at {@code address}, which {@link #lookup} returned. */
    Region region(long address);
}

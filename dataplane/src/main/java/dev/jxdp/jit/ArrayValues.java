package dev.jxdp.jit;

import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * An ARRAY map's value block as the JIT computes addresses in it, so that a bpf_map_lookup_elem the
 * verifier proved to name this map becomes a bounds check and an address computation instead of a
 * helper call. The loader makes these (the JIT does not know the maps package); the layout is
 * jxdp's ArrayMap: {@code max_entries} elements, each {@code copies} values (one per worker for a
 * PERCPU_ARRAY, else one) of {@code stride} (value_size rounded up to 8) bytes.
 *
 * @param map the map itself: a static final field of the program's class, so the class holds it
 * @param values the whole value block; it must stay where it is for the map's life
 * @param maxEntries max_entries (the u32 key is compared unsigned against it)
 * @param valueSize the value size a lookup's region spans, as the helper's region does
 * @param stride bytes from one value to the next
 * @param copies values per element: the workers for a PERCPU_ARRAY, 1 for an ARRAY
 * @param regionName the name the lookup helper gives a value's region
 * @param writable whether programs may write the values (not BPF_F_RDONLY_PROG)
 */
public record ArrayValues(Object map, MemorySegment values, int maxEntries, int valueSize, int stride, int copies,
                          String regionName, boolean writable) {
    public ArrayValues {
        Objects.requireNonNull(map);
        Objects.requireNonNull(values);
        Objects.requireNonNull(regionName);
        if (stride < valueSize || stride % 8 != 0 || copies < 1
                || (long) stride * copies * Integer.toUnsignedLong(maxEntries) > values.byteSize()) {
            throw new IllegalArgumentException("array layout " + maxEntries + " x " + copies + " x " + stride + " does not fit "
                    + values);
        }
    }

    boolean perCpu() {
        return copies > 1;
    }

    /** The region the lookup helper would expose for the value at {@code address}. */
    Region region(long address) {
        MemorySegment value = values.asSlice(address - values.address(), valueSize);
        return new Region.Mem(regionName, RegionKind.MAP_VALUE, value, writable ? Permission.READ_WRITE : Permission.READ_ONLY);
    }
}

package dev.jxdp.load;

import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.jit.HashLookup;
import dev.jxdp.maps.HashTab;
import java.util.Objects;

/**
 * A HASH map as the JIT's direct lookups call it ({@link HashLookup}): the lookup helper's work
 * ({@code MapHelpers}: the key read in place where the program's pointers are proven, the value
 * exposed as a region named and permitted as the helper names and permits it) without the helper.
 * The object lives here because the JIT knows nothing of the maps package.
 */
final class HashTabLookup implements HashLookup {
    private final HashTab map;

    HashTabLookup(HashTab map) {
        this.map = Objects.requireNonNull(map);
    }

    @Override
    public long lookup(long keyAddress) {
        return map.lookupInPlace(keyAddress);
    }

    @Override
    public Region region(long address) {
        return new Region.Mem(map.regionName(), RegionKind.MAP_VALUE, map.valueSegment(address),
                map.programWritable() ? Permission.READ_WRITE : Permission.READ_ONLY);
    }

    @Override
    public String toString() {
        return "direct lookups of " + map;
    }
}

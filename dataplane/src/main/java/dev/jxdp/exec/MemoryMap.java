package dev.jxdp.exec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The table of regions a program may touch, and the only way engines and helpers read or write
 * program-visible memory. Regions never overlap, so an address belongs to at most one. An access
 * must lie wholly inside one region (an access crossing from one region into an adjacent one is
 * refused too, as the kernel's verifier would) and may write only a {@link Permission#READ_WRITE}
 * region. Memory is little-endian, as on the eBPF targets jxdp emulates.
 *
 * <p>Not thread-safe: engines copy the caller's map per run ({@link #copy()}) and add the stack to the copy.
 */
public final class MemoryMap implements MemorySource {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Keyed by start address; addresses compare unsigned, as the program sees them. */
    private final TreeMap<Long, Region> regions = new TreeMap<>(Long::compareUnsigned);

    public MemoryMap() {}

    /** This map: a map is its own source. */
    @Override
    public MemoryMap memory() {
        return this;
    }

    /** A map with the same regions, to which regions can be added without changing this one. */
    public MemoryMap copy() {
        MemoryMap m = new MemoryMap();
        m.regions.putAll(regions);
        return m;
    }

    /** Adds a region; a region that overlaps one already here is a bug of the caller. */
    public MemoryMap add(Region region) {
        if (region.size() == 0) {
            throw new IllegalArgumentException("region " + region.name() + " is empty");
        }
        long end = region.address() + region.size();
        Map.Entry<Long, Region> below = regions.floorEntry(region.address());
        Map.Entry<Long, Region> above = regions.ceilingEntry(region.address());
        if (below != null && contains(below.getValue(), region.address())
                || above != null && Long.compareUnsigned(above.getKey(), end) < 0) {
            Region other = below != null && contains(below.getValue(), region.address()) ? below.getValue() : above.getValue();
            throw new IllegalArgumentException("region " + region.name() + " " + range(region)
                    + " overlaps region " + other.name() + " " + range(other));
        }
        regions.put(region.address(), region);
        return this;
    }

    /**
     * Adds {@code region} unless this very region is here already, as when a program looks up the
     * same map value twice in one run; any other overlap is a bug of the caller, as for {@link #add}.
     */
    public MemoryMap addIfAbsent(Region region) {
        Region present = regions.get(region.address());
        // Segments compare by address only: the size must match too.
        if (present != null && present.equals(region) && present.size() == region.size()) {
            return this;
        }
        return add(region);
    }

    public boolean remove(Region region) {
        return regions.remove(region.address(), region);
    }

    public List<Region> regions() {
        return List.copyOf(regions.values());
    }

    /** The region holding {@code address}, or null. */
    public Region find(long address) {
        Map.Entry<Long, Region> e = regions.floorEntry(address);
        return e != null && contains(e.getValue(), address) ? e.getValue() : null;
    }

    /**
     * The region that holds all of {@code [address, address + length)}, checking permission.
     *
     * @throws MemoryFault if no single region holds the range or a write hits a read-only region
     */
    public Region check(long address, long length, boolean write) {
        Region r = find(address);
        if (r == null) {
            throw new MemoryFault("outside all regions");
        }
        long offset = address - r.address();
        if (length > r.size() - offset) {
            throw new MemoryFault("crosses the end of region " + r.name() + " " + range(r)
                    + " (offset 0x" + Long.toHexString(offset) + " + " + length + " > size " + r.size() + ")");
        }
        if (write && !r.permission().writable()) {
            throw new MemoryFault("region " + r.name() + " is read-only");
        }
        return r;
    }

    /** Reads 1, 2, 4 or 8 bytes, zero-extended. */
    public long load(long address, int bytes) {
        Region r = check(address, bytes, false);
        long offset = address - r.address();
        return switch (r) {
            case Region.Mem m -> read(m.segment(), offset, bytes);
            case Region.Handled h -> h.handler().load(offset, bytes);
        };
    }

    /** Writes the low 1, 2, 4 or 8 bytes of {@code value}. */
    public void store(long address, int bytes, long value) {
        Region r = check(address, bytes, true);
        long offset = address - r.address();
        switch (r) {
            case Region.Mem m -> write(m.segment(), offset, bytes, value);
            case Region.Handled h -> h.handler().store(offset, bytes, value);
        }
    }

    /**
     * The memory at {@code [address, address + length)} as a segment, for helpers and atomics that
     * work on it directly; read-only unless {@code write}. Handled regions have no memory to hand out.
     */
    public MemorySegment slice(long address, long length, boolean write) {
        Region r = check(address, length, write);
        if (!(r instanceof Region.Mem m)) {
            throw new MemoryFault("region " + r.name() + " is not plain memory (its accesses go through a handler)");
        }
        MemorySegment s = m.segment().asSlice(address - r.address(), length);
        return write ? s : s.asReadOnly();
    }

    static long read(MemorySegment s, long offset, int bytes) {
        return switch (bytes) {
            case 1 -> s.get(ValueLayout.JAVA_BYTE, offset) & 0xffL;
            case 2 -> s.get(U16, offset) & 0xffffL;
            case 4 -> s.get(U32, offset) & 0xffffffffL;
            case 8 -> s.get(U64, offset);
            default -> throw new IllegalArgumentException("no access of " + bytes + " bytes");
        };
    }

    static void write(MemorySegment s, long offset, int bytes, long value) {
        switch (bytes) {
            case 1 -> s.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
            case 2 -> s.set(U16, offset, (short) value);
            case 4 -> s.set(U32, offset, (int) value);
            case 8 -> s.set(U64, offset, value);
            default -> throw new IllegalArgumentException("no access of " + bytes + " bytes");
        }
    }

    private static boolean contains(Region r, long address) {
        return Long.compareUnsigned(address - r.address(), r.size()) < 0;
    }

    static String range(Region r) {
        return "[0x" + Long.toHexString(r.address()) + ", 0x" + Long.toHexString(r.address() + r.size()) + ")";
    }
}

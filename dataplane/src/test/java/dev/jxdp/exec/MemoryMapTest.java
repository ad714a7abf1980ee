package dev.jxdp.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The region table on its own: lookup, bounds, permissions, handlers. */
class MemoryMapTest {
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void loadsAndStoresLittleEndian() {
        MemorySegment s = arena.allocate(8);
        MemoryMap m = new MemoryMap().add(Region.readWrite("m", RegionKind.INPUT, s));
        m.store(s.address(), 4, 0x11223344L);
        assertEquals(0x44, m.load(s.address(), 1));
        assertEquals(0x3344, m.load(s.address(), 2));
        assertEquals(0x11223344L, m.load(s.address(), 4));
    }

    @Test
    void refusesWritesToReadOnlyRegions() {
        MemorySegment s = arena.allocate(8);
        MemoryMap m = new MemoryMap().add(Region.readOnly("ro", RegionKind.OTHER, s));
        assertEquals(0, m.load(s.address(), 8));
        MemoryFault f = assertThrows(MemoryFault.class, () -> m.store(s.address(), 1, 1));
        assertEquals("region ro is read-only", f.getMessage());
        assertThrows(MemoryFault.class, () -> m.slice(s.address(), 8, true));
        assertTrue(m.slice(s.address(), 8, false).isReadOnly());
    }

    @Test
    void refusesAccessesCrossingTheEnd() {
        MemorySegment s = arena.allocate(8);
        MemoryMap m = new MemoryMap().add(Region.readWrite("m", RegionKind.INPUT, s));
        assertEquals(0, m.load(s.address() + 7, 1));
        MemoryFault f = assertThrows(MemoryFault.class, () -> m.load(s.address() + 7, 2));
        assertTrue(f.getMessage().startsWith("crosses the end of region m"), f.getMessage());
    }

    @Test
    void refusesAccessesSpanningTwoAdjacentRegions() {
        MemorySegment s = arena.allocate(16);
        MemoryMap m = new MemoryMap()
                .add(Region.readWrite("low", RegionKind.OTHER, s.asSlice(0, 8)))
                .add(Region.readWrite("high", RegionKind.OTHER, s.asSlice(8, 8)));
        assertThrows(MemoryFault.class, () -> m.load(s.address() + 4, 8));
        assertEquals("high", m.find(s.address() + 8).name());
    }

    @Test
    void refusesAddressesOutsideAllRegions() {
        MemorySegment s = arena.allocate(8);
        MemoryMap m = new MemoryMap().add(Region.readWrite("m", RegionKind.INPUT, s));
        assertNull(m.find(s.address() - 1));
        assertNull(m.find(s.address() + 8));
        assertEquals("outside all regions", assertThrows(MemoryFault.class, () -> m.load(0, 1)).getMessage());
        assertThrows(MemoryFault.class, () -> m.load(-1L, 8));
    }

    @Test
    void refusesOverlappingRegions() {
        MemorySegment s = arena.allocate(16);
        MemoryMap m = new MemoryMap().add(Region.readWrite("a", RegionKind.OTHER, s.asSlice(4, 8)));
        assertThrows(IllegalArgumentException.class, () -> m.add(Region.readWrite("b", RegionKind.OTHER, s.asSlice(0, 5))));
        assertThrows(IllegalArgumentException.class, () -> m.add(Region.readWrite("c", RegionKind.OTHER, s.asSlice(11, 5))));
        assertThrows(IllegalArgumentException.class, () -> m.add(Region.readWrite("d", RegionKind.OTHER, s)));
        m.add(Region.readWrite("e", RegionKind.OTHER, s.asSlice(12, 4)));
        assertEquals(2, m.regions().size());
    }

    @Test
    void copiesAreIndependent() {
        MemorySegment s = arena.allocate(16);
        Region a = Region.readWrite("a", RegionKind.OTHER, s.asSlice(0, 8));
        MemoryMap m = new MemoryMap().add(a);
        MemoryMap copy = m.copy().add(Region.readWrite("b", RegionKind.OTHER, s.asSlice(8, 8)));
        assertEquals(1, m.regions().size());
        assertEquals(2, copy.regions().size());
        assertTrue(copy.remove(a));
        assertSame(a, m.find(s.address()));
    }

    @Test
    void handledRegionsGoThroughTheirHandler() {
        MemorySegment reserved = arena.allocate(16);
        List<String> seen = new ArrayList<>();
        RegionHandler handler = new RegionHandler() {
            @Override
            public long load(long offset, int bytes) {
                seen.add("load " + offset + "/" + bytes);
                return 0x1234;
            }

            @Override
            public void store(long offset, int bytes, long value) {
                seen.add("store " + offset + "/" + bytes + "=" + value);
            }
        };
        MemoryMap m = new MemoryMap().add(new Region.Handled("ctx", RegionKind.CONTEXT, reserved.address(), 16,
                Permission.READ_WRITE, handler));
        assertEquals(0x1234, m.load(reserved.address() + 4, 4));
        m.store(reserved.address() + 8, 8, 7);
        assertEquals(List.of("load 4/4", "store 8/8=7"), seen);
        assertThrows(MemoryFault.class, () -> m.load(reserved.address() + 12, 8));
        assertThrows(MemoryFault.class, () -> m.slice(reserved.address(), 4, false));
    }

    @Test
    void refusesHeapSegments() {
        assertThrows(IllegalArgumentException.class,
                () -> Region.readWrite("heap", RegionKind.OTHER, MemorySegment.ofArray(new byte[8])));
    }
}

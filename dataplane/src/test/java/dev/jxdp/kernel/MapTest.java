package dev.jxdp.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Map commands on HASH and ARRAY maps; the errnos expected are those of kernel/bpf/hashtab.c and
 * arraymap.c for the situation.
 */
class MapTest {

    @BeforeEach
    void kernel() {
        KernelComparisons.assumeKernel();
    }

    @Test
    void hashRoundTrip() {
        try (BpfMap map = Bpf.createMap(MapSpec.of(MapType.HASH, 4, 8, 2).withName("jxdp_hash"))) {
            assertTrue(map.lookup(u32(1)).isEmpty());
            assertTrue(map.nextKey(null).isEmpty(), "an empty map has no first key");

            map.update(u32(1), u64(0x1111), BpfMap.NOEXIST);
            assertArrayEquals(u64(0x1111), map.lookup(u32(1)).orElseThrow());
            BpfException exists = assertThrows(BpfException.class, () -> map.update(u32(1), u64(0), BpfMap.NOEXIST));
            assertEquals("bpf(BPF_MAP_UPDATE_ELEM) failed with EEXIST (File exists)", exists.getMessage());
            assertEquals("ENOENT", assertThrows(BpfException.class,
                    () -> map.update(u32(2), u64(0), BpfMap.EXIST)).errno().name());

            map.update(u32(2), u64(0x2222));
            map.update(u32(1), u64(0x3333), BpfMap.EXIST);
            assertArrayEquals(u64(0x3333), map.lookup(u32(1)).orElseThrow());
            // max_entries is 2: a third key does not fit.
            assertEquals("E2BIG", assertThrows(BpfException.class, () -> map.update(u32(3), u64(0))).errno().name());

            assertEquals(Set.of(1, 2), ints(map.keys()));
            byte[] first = map.nextKey(null).orElseThrow();
            byte[] second = map.nextKey(first).orElseThrow();
            assertTrue(map.nextKey(second).isEmpty(), "no key after the last");

            assertTrue(map.delete(u32(1)));
            assertFalse(map.delete(u32(1)), "deleting an absent key reports false");
            assertTrue(map.lookup(u32(1)).isEmpty());
            assertEquals(Set.of(2), ints(map.keys()));
        }
    }

    @Test
    void arrayRoundTrip() {
        try (BpfMap map = Bpf.createMap(MapSpec.of(MapType.ARRAY, 4, 8, 4).withName("jxdp_array"))) {
            // Every index below max_entries exists from the start, zero-filled.
            assertArrayEquals(new byte[8], map.lookup(u32(0)).orElseThrow());
            assertTrue(map.lookup(u32(4)).isEmpty(), "index 4 is past max_entries");

            map.update(u32(2), u64(0xabcdef));
            assertArrayEquals(u64(0xabcdef), map.lookup(u32(2)).orElseThrow());
            assertEquals("E2BIG", assertThrows(BpfException.class, () -> map.update(u32(4), u64(1))).errno().name());
            assertEquals("EEXIST", assertThrows(BpfException.class,
                    () -> map.update(u32(1), u64(1), BpfMap.NOEXIST)).errno().name());
            assertEquals("EINVAL", assertThrows(BpfException.class, () -> map.delete(u32(2))).errno().name(),
                    "array elements cannot be deleted");

            // Keys run in index order; an index past the end restarts at 0.
            assertEquals(List.of(0, 1, 2, 3), map.keys().stream().map(MapTest::int32).toList());
            assertTrue(map.nextKey(u32(3)).isEmpty());
            assertEquals(0, int32(map.nextKey(u32(100)).orElseThrow()));
        }
    }

    @Test
    void sizesAreChecked() {
        try (BpfMap map = Bpf.createMap(MapSpec.of(MapType.ARRAY, 4, 8, 1))) {
            assertThrows(IllegalArgumentException.class, () -> map.lookup(new byte[8]));
            assertThrows(IllegalArgumentException.class, () -> map.update(u32(0), new byte[4]));
        }
    }

    @Test
    void invalidSpecIsRefusedByTheKernel() {
        // A hash map with 0-byte keys makes no sense; htab_map_alloc_check() says EINVAL.
        BpfException e = assertThrows(BpfException.class, () -> Bpf.createMap(MapSpec.of(MapType.HASH, 0, 8, 1)));
        assertEquals("bpf(BPF_MAP_CREATE) failed with EINVAL (Invalid argument)", e.getMessage());
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    private static int int32(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt();
    }

    private static Set<Integer> ints(List<byte[]> keys) {
        return keys.stream().map(MapTest::int32).collect(Collectors.toSet());
    }
}

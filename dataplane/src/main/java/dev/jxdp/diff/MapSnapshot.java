package dev.jxdp.diff;

import dev.jxdp.kernel.BpfMap;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.obj.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A map's elements at one moment, read the way user space reads them (keys walked with
 * GET_NEXT_KEY, values looked up; per-CPU values one 8-aligned slot per CPU). Arrays and LPM tries
 * keep the map's own order, which is defined; hash maps are sorted by key, since their order
 * depends on a seed.
 */
record MapSnapshot(String name, List<Element> elements) {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    record Element(byte[] key, byte[] value) {}

    /** Maps whose values are bytes: not kernel object ids (prog arrays, map-in-maps, dev/cpu/xsk maps) nor streams. */
    static boolean comparable(MapType t) {
        return switch (t) {
            case PROG_ARRAY, ARRAY_OF_MAPS, HASH_OF_MAPS, DEVMAP, DEVMAP_HASH, CPUMAP, XSKMAP, RINGBUF, PERF_EVENT_ARRAY, QUEUE, STACK,
                    BLOOM_FILTER -> false;
            default -> true;
        };
    }

    static MapSnapshot of(EbpfMap m) {
        List<Element> out = new ArrayList<>();
        for (byte[] k : m.keys()) {
            m.lookup(k).ifPresent(v -> out.add(new Element(k, v)));
        }
        return sorted(m.name(), m.type(), out);
    }

    static MapSnapshot of(String name, MapType type, BpfMap m) {
        List<Element> out = new ArrayList<>();
        for (byte[] k : m.keys()) {
            m.lookup(k).ifPresent(v -> out.add(new Element(k, v)));
        }
        return sorted(name, type, out);
    }

    private static MapSnapshot sorted(String name, MapType type, List<Element> elements) {
        if (type != MapType.ARRAY && type != MapType.PERCPU_ARRAY && type != MapType.LPM_TRIE) {
            elements.sort(Comparator.comparing(e -> HEX.formatHex(e.key())));
        }
        return new MapSnapshot(name, elements);
    }

    /**
     * The first element that differs, as {jxdp, kernel} descriptions, or empty. Values that differ
     * only in 8-aligned 64-bit words that are timestamps of this run on both sides ({@link ClockWindow})
     * are the same; {@code timeTolerated} counts such words.
     */
    Optional<String[]> firstDifference(MapSnapshot kernel, ClockWindow window, Tolerance tolerance) {
        int n = Math.max(elements.size(), kernel.elements.size());
        for (int i = 0; i < n; i++) {
            Element mine = i < elements.size() ? elements.get(i) : null;
            Element theirs = i < kernel.elements.size() ? kernel.elements.get(i) : null;
            if (mine == null || theirs == null || !java.util.Arrays.equals(mine.key(), theirs.key())) {
                return Optional.of(new String[] {describe(mine, "no element " + (i + 1) + " (" + elements.size() + " elements)"),
                        describe(theirs, "no element " + (i + 1) + " (" + kernel.elements.size() + " elements)")});
            }
            int at = differingByte(mine.value(), theirs.value(), window, tolerance);
            if (at >= 0) {
                return Optional.of(new String[] {describe(mine, null) + " (first difference at value byte " + at + ")",
                        describe(theirs, null)});
            }
        }
        return Optional.empty();
    }

    /** The first byte outside tolerated timestamp words where the values differ, or -1. */
    private static int differingByte(byte[] a, byte[] b, ClockWindow window, Tolerance tolerance) {
        if (a.length != b.length) {
            return Math.min(a.length, b.length);
        }
        ByteBuffer x = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer y = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                continue;
            }
            if (tolerance.padding(i)) {
                tolerance.paddingBytes++;
                continue;
            }
            int word = i & ~7;
            if (word + 8 <= a.length && window.isTimestamp(x.getLong(word)) && window.isTimestamp(y.getLong(word))) {
                tolerance.timestamps++;
                i = word + 7;
                continue;
            }
            return i;
        }
        return -1;
    }

    /** What a comparison lets pass, and how often it did. */
    static final class Tolerance {
        int timestamps;
        int paddingBytes;
        private boolean[] data;
        private int stride = 1;

        /** Compares the next map with this value layout ({@link Padding#of}, null for all data) and per-CPU stride. */
        Tolerance forMap(boolean[] dataBytes, int valueStride) {
            data = dataBytes;
            stride = valueStride;
            return this;
        }

        boolean padding(int byteOfValue) {
            int at = byteOfValue % stride;
            return data != null && at < data.length && !data[at];
        }
    }

    private static String describe(Element e, String absent) {
        if (e == null) {
            return absent;
        }
        return "key " + HEX.formatHex(e.key()) + " value " + clip(HEX.formatHex(e.value()));
    }

    private static String clip(String s) {
        return s.length() > 240 ? s.substring(0, 240) + " ..." : s;
    }
}

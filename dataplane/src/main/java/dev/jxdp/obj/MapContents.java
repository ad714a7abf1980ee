package dev.jxdp.obj;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** What a map holds before any program runs, as the object file says. */
public sealed interface MapContents {

    /** Nothing: the map starts empty (or, for arrays, zeroed). */
    record Empty() implements MapContents {}

    /**
     * The single value of a global data map (key 0): a section's bytes, after any {@code .rodata}
     * settings were applied. {@code frozen} maps ({@code .rodata}) are read-only for programs and,
     * after loading, for user space too (libbpf freezes them).
     */
    record Data(byte[] bytes, boolean frozen) implements MapContents {
        public Data {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && d.frozen == frozen && Arrays.equals(d.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes) * 31 + Boolean.hashCode(frozen);
        }

        @Override
        public String toString() {
            return "Data[" + bytes.length + " bytes" + (frozen ? ", frozen" : "") + "]";
        }
    }

    /**
     * Slots initialised by a {@code .values} member: slot index to the name of a program (for a
     * PROG_ARRAY) or of a map (for a map-in-map), as libbpf fills them after creating the map.
     */
    record Slots(SortedMap<Integer, String> entries) implements MapContents {
        public Slots {
            entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
        }

        public static Slots of(Map<Integer, String> entries) {
            return new Slots(new TreeMap<>(entries));
        }
    }
}

package dev.jxdp.cli;

import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/**
 * Map entries as bpftool prints them (tools/bpf/bpftool/map.c): {@code -j} objects with the key and
 * value as arrays of "0x.." strings (per-CPU maps: "values" with one value per CPU), plus "formatted"
 * when the map has BTF; plain text as {@code key: .. value: ..} lines, or, for maps with BTF, the
 * formatted entries written by bpftool's pretty JSON writer.
 */
final class MapPrinter {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private final MapAccess map;
    private final Main.Output mode;

    MapPrinter(MapAccess map, Main.Output mode) {
        this.map = map;
        this.mode = mode;
    }

    boolean json() {
        return mode != Main.Output.PLAIN;
    }

    JsonWriter writer() {
        return new JsonWriter(mode == Main.Output.PRETTY_JSON);
    }

    static void hexArray(JsonWriter w, byte[] bytes, int from, int length) {
        w.startArray();
        for (int i = 0; i < length; i++) {
            w.raw(String.format("\"0x%02x\"", bytes[from + i] & 0xff));
        }
        w.endArray();
    }

    /** print_entry_json. */
    void entryJson(JsonWriter w, byte[] key, byte[] value) {
        w.startObject();
        w.name("key");
        hexArray(w, key, 0, map.keySize());
        if (!map.perCpu()) {
            w.name("value");
            hexArray(w, value, 0, map.valueSize());
            if (map.mapOfMaps()) {
                w.name("inner_map_id").raw(Integer.toUnsignedString(MemorySegment.ofArray(value).get(
                        java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0)));
            }
        } else {
            int step = map.valueStride();
            w.name("values").startArray();
            for (int cpu = 0; cpu < map.cpus(); cpu++) {
                w.startObject().name("cpu").raw(Integer.toString(cpu)).name("value");
                hexArray(w, value, cpu * step, map.valueSize());
                w.endObject();
            }
            w.endArray();
        }
        if (map.formatted()) {
            w.name("formatted");
            btf(w, key, value, false);
        }
        w.endObject();
    }

    /** do_dump_btf: the formatted key and value(s). */
    void btf(JsonWriter w, byte[] key, byte[] value, boolean plainText) {
        BtfDumper d = new BtfDumper(map.btf(), w, plainText, map.varOffsets());
        w.startObject();
        if (map.keyTypeId() > 0) {
            w.name("key");
            d.dump(map.keyTypeId(), MemorySegment.ofArray(key));
        }
        if (!map.perCpu()) {
            w.name("value");
            d.dump(map.valueTypeId(), MemorySegment.ofArray(value));
        } else {
            int step = map.valueStride();
            w.name("values").startArray();
            for (int cpu = 0; cpu < map.cpus(); cpu++) {
                w.startObject().name("cpu").raw(Integer.toString(cpu)).name("value");
                d.dump(map.valueTypeId(), MemorySegment.ofArray(value).asSlice((long) cpu * step));
                w.endObject();
            }
            w.endArray();
        }
        w.endObject();
    }

    /** print_entry_plain. */
    void entryPlain(PrintWriter out, byte[] key, byte[] value) {
        int ks = map.keySize();
        int vs = map.valueSize();
        StringBuilder b = new StringBuilder();
        if (!map.perCpu()) {
            boolean breakNames = ks > 16 || vs > 16;
            boolean singleLine = ks + vs <= 24 && !breakNames;
            if (ks > 0) {
                b.append("key:").append(breakNames ? '\n' : ' ').append(HEX.formatHex(key, 0, ks)).append(singleLine ? "  " : "\n");
            }
            if (vs > 0) {
                b.append("value:").append(breakNames ? '\n' : ' ').append(HEX.formatHex(value, 0, vs));
            }
            out.println(b);
            return;
        }
        int step = map.valueStride();
        if (ks > 0) {
            out.println("key:");
            out.println(HEX.formatHex(key, 0, ks));
        }
        for (int cpu = 0; cpu < map.cpus(); cpu++) {
            out.println(String.format("value (CPU %02d):%c", cpu, vs > 16 ? '\n' : ' ') + HEX.formatHex(value, cpu * step, cpu * step + vs));
        }
    }

    /** print_entry_error_msg: an entry whose value cannot be read (plain). */
    void errorPlain(PrintWriter out, byte[] key, String message) {
        int ks = map.keySize();
        boolean breakNames = ks > 16 || message.length() > 16;
        boolean singleLine = ks + message.length() <= 24 && !breakNames;
        out.println("key:" + (breakNames ? '\n' : ' ') + HEX.formatHex(key, 0, ks) + (singleLine ? "  " : "\n") + "value:"
                + (breakNames ? '\n' : ' ') + message);
    }

    /** The key in the lines of "lookup" and "getnext": hex, 8 bytes per group as bpftool's fprint_hex. */
    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}

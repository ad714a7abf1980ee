package dev.jxdp.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.obj.MapType;
import dev.jxdp.testing.Bpftool;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Map contents as comparable lines, from a kernel map ({@code bpftool -j map dump}) and from a jxdp map
 * (keys walked, values looked up): {@code key 0a 00 00 01 => 01 00 ...}, per-CPU values as
 * {@code cpu0 ..; cpu1 ..}. Hash-like maps are sorted, since their order depends on the seed.
 */
final class KernelDump {
    private KernelDump() {}

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    static boolean ordered(MapType t) {
        return switch (t) {
            case ARRAY, PERCPU_ARRAY, LPM_TRIE -> true;
            default -> false;
        };
    }

    static List<String> kernel(JsonNode dump, MapType type, boolean keysOnly) {
        List<String> lines = new ArrayList<>();
        for (JsonNode e : dump) {
            String key = bytes(e.get("key"));
            if (keysOnly) {
                lines.add("key " + key);
            } else if (e.has("values")) {
                List<String> cpus = new ArrayList<>();
                for (JsonNode v : e.get("values")) {
                    cpus.add("cpu" + v.get("cpu").asInt() + " " + bytes(v.get("value")));
                }
                lines.add("key " + key + " => " + String.join("; ", cpus));
            } else {
                lines.add("key " + key + " => " + bytes(e.get("value")));
            }
        }
        if (!ordered(type)) {
            lines.sort(null);
        }
        return lines;
    }

    private static String bytes(JsonNode array) {
        return HEX.formatHex(Bpftool.bytes(array));
    }

    static List<String> jxdp(EbpfMap m, boolean keysOnly) {
        List<String> lines = new ArrayList<>();
        for (byte[] k : m.keys()) {
            if (keysOnly) {
                lines.add("key " + HEX.formatHex(k));
                continue;
            }
            Optional<byte[]> v = m.lookup(k);
            if (v.isEmpty()) {
                continue;
            }
            if (m.definition().perCpu()) {
                List<String> cpus = new ArrayList<>();
                int stride = m.definition().valueStride();
                for (int w = 0; w < m.workers(); w++) {
                    byte[] one = java.util.Arrays.copyOfRange(v.get(), w * stride, w * stride + m.valueSize());
                    cpus.add("cpu" + w + " " + HEX.formatHex(one));
                }
                lines.add("key " + HEX.formatHex(k) + " => " + String.join("; ", cpus));
            } else {
                lines.add("key " + HEX.formatHex(k) + " => " + HEX.formatHex(v.get()));
            }
        }
        if (!ordered(m.type())) {
            lines.sort(null);
        }
        return lines;
    }
}

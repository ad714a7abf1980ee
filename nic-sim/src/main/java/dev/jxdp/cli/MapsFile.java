package dev.jxdp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.MapException;
import dev.jxdp.obj.MapType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Initial map contents for {@code prog run --maps}: what {@code jxdp map dump -j} or
 * {@code bpftool map dump -j} prints (an array of {@code {"key": [...], "value": [...]}}, per-CPU maps
 * with {@code "values": [{"cpu": N, "value": [...]}]}; "formatted" is ignored). Either
 * {@code NAME=FILE} with one map's dump, or a FILE holding an object {@code {"NAME": [entries], ...}}.
 * Prog arrays, map-in-maps, devmaps, cpumaps, xskmaps, ring buffers and perf event arrays hold kernel
 * objects, not bytes: they keep the object's own initial state.
 */
record MapsFile(Map<String, List<Entry>> maps) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One element: the key and its value, or one value per CPU. */
    record Entry(byte[] key, byte[] value, List<byte[]> perCpu) {}

    static MapsFile read(List<String> specs) throws IOException {
        Map<String, List<Entry>> all = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String name = eq > 0 ? spec.substring(0, eq) : null;
            Path file = Path.of(eq > 0 ? spec.substring(eq + 1) : spec);
            InputFiles.readable(file, null);
            JsonNode root;
            try {
                root = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new IOException(file + ": not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            if (name != null) {
                all.put(name, entries(file, name, root));
            } else if (root != null && root.isObject()) {
                for (var it = root.properties().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    all.put(e.getKey(), entries(file, e.getKey(), e.getValue()));
                }
            } else {
                throw new IOException(file + ": a dump of one map needs its name: --maps NAME=" + file);
            }
        }
        return new MapsFile(all);
    }

    private static List<Entry> entries(Path file, String map, JsonNode array) throws IOException {
        if (array == null || !array.isArray()) {
            throw new IOException(file + ": map '" + map + "' needs an array of entries, as 'map dump -j' prints");
        }
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : array) {
            byte[] key = bytes(file, map, e.get("key"));
            if (e.has("values")) {
                List<byte[]> cpus = new ArrayList<>();
                for (JsonNode v : e.get("values")) {
                    int cpu = v.path("cpu").asInt(cpus.size());
                    while (cpus.size() < cpu) {
                        cpus.add(null);
                    }
                    cpus.add(bytes(file, map, v.get("value")));
                }
                out.add(new Entry(key, null, cpus));
            } else {
                out.add(new Entry(key, bytes(file, map, e.get("value")), null));
            }
        }
        return out;
    }

    private static byte[] bytes(Path file, String map, JsonNode array) throws IOException {
        if (array == null || !array.isArray()) {
            throw new IOException(file + ": map '" + map + "': an entry without a key or value byte array");
        }
        byte[] b = new byte[array.size()];
        for (int i = 0; i < b.length; i++) {
            JsonNode n = array.get(i);
            String t = n.asText();
            try {
                int v = n.isNumber() ? n.asInt() : Integer.parseInt(t.startsWith("0x") ? t.substring(2) : t, t.startsWith("0x") ? 16 : 10);
                if (v < 0 || v > 255) {
                    throw new NumberFormatException();
                }
                b[i] = (byte) v;
            } catch (NumberFormatException e) {
                throw new IOException(file + ": map '" + map + "': '" + t + "' is not a byte");
            }
        }
        return b;
    }

    /** Whether the map's values are plain bytes that can be set from a dump. */
    static boolean settable(MapType t) {
        return switch (t) {
            case PROG_ARRAY, ARRAY_OF_MAPS, HASH_OF_MAPS, DEVMAP, DEVMAP_HASH, CPUMAP, XSKMAP, RINGBUF, PERF_EVENT_ARRAY,
                    QUEUE, STACK, BLOOM_FILTER -> false;
            default -> true;
        };
    }

    /** Updates the object's maps with these entries. */
    void apply(LoadedObject o) {
        for (Map.Entry<String, List<Entry>> m : maps.entrySet()) {
            EbpfMap map = find(o, m.getKey());
            if (!settable(map.type())) {
                throw new IllegalArgumentException("--maps: map '" + m.getKey() + "' is a " + map.type().name().toLowerCase()
                        + ", whose entries are kernel objects or a stream: it keeps the object's initial state");
            }
            for (Entry e : m.getValue()) {
                byte[] value = e.value() != null ? e.value() : perCpu(map, e);
                try {
                    map.update(e.key(), value, 0);
                } catch (MapException | IllegalArgumentException x) {
                    throw new IllegalArgumentException("--maps: map '" + m.getKey() + "' key " + hex(e.key()) + ": " + x.getMessage());
                }
            }
        }
    }

    static EbpfMap find(LoadedObject o, String name) {
        for (EbpfMap m : o.maps()) {
            if (m.name().equals(name) || m.definition().name().equals(name) || dev.jxdp.obj.MapSpec.kernelName(m.name()).equals(name)
                    || dev.jxdp.obj.MapSpec.kernelName(m.name()).replace('.', '_').equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--maps: no map '" + name + "' in the object (maps: "
                + String.join(", ", o.maps().stream().map(EbpfMap::name).toList()) + ")");
    }

    /**
     * A per-CPU value as user space writes it: one 8-aligned value per worker (worker i is CPU i),
     * missing CPUs zero. A dump from a machine with more CPUs than jxdp has workers (bpftool dumps
     * every possible CPU) is taken if the CPUs beyond the workers hold only zeros: nothing is lost.
     */
    private static byte[] perCpu(EbpfMap map, Entry e) {
        int stride = map.definition().valueStride();
        for (int cpu = map.workers(); cpu < e.perCpu().size(); cpu++) {
            byte[] v = e.perCpu().get(cpu);
            if (v != null && !allZero(v)) {
                throw new IllegalArgumentException("--maps: map '" + map.name() + "' has a value for CPU " + cpu + " and jxdp "
                        + map.workers() + " worker" + (map.workers() == 1 ? "" : "s") + " (worker i holds CPU i's value: run with --workers "
                        + e.perCpu().size() + ")");
            }
        }
        return packed(e, stride, map.workers());
    }

    /**
     * {@code e}'s per-CPU values as the one buffer user space hands the kernel: {@code cpus} slots of
     * {@code stride} (8-aligned) bytes, CPU i's value in slot i, CPUs the entry lacks (or beyond
     * {@code cpus}, which the caller has checked) left zero.
     */
    static byte[] packed(Entry e, int stride, int cpus) {
        byte[] all = new byte[stride * cpus];
        for (int cpu = 0; cpu < Math.min(e.perCpu().size(), cpus); cpu++) {
            byte[] v = e.perCpu().get(cpu);
            if (v != null) {
                System.arraycopy(v, 0, all, cpu * stride, Math.min(v.length, stride));
            }
        }
        return all;
    }

    private static boolean allZero(byte[] v) {
        for (byte b : v) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** For bpftool, which sets one value on every CPU: the per-CPU values must agree. */
    static byte[] uniformValue(String map, Entry e) {
        if (e.value() != null) {
            return e.value();
        }
        byte[] first = null;
        for (byte[] v : e.perCpu()) {
            if (v == null) {
                continue;
            }
            if (first != null && !Arrays.equals(first, v)) {
                throw new IllegalArgumentException("--kernel: map '" + map + "' key " + hex(e.key()) + " has different values on"
                        + " different CPUs, and bpftool map update sets one value on every CPU");
            }
            first = v;
        }
        return first == null ? new byte[0] : first;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(sb.isEmpty() ? "" : " ").append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}

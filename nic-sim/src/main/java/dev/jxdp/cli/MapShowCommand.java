package dev.jxdp.cli;

import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapConvention;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jxdp map show FILE}: the maps of an object as {@code bpftool map show} shows created maps
 * ({@code id} is the map's index, the number programs' {@code map_ids} use). Values are what the object
 * asks for: the kernel adds flags of its own to some types (BPF_F_RDONLY_PROG on devmaps), which
 * {@code bpftool} then shows and this does not.
 */
@Command(name = "show", aliases = "list", mixinStandardHelpOptions = true,
        description = "Show the maps of an eBPF object: name, type, key and value size, max_entries, flags.")
final class MapShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An ELF object built for BPF.")
    Path file;

    @Mixin
    LoadArgs load;

    @Override
    public Integer call() throws Exception {
        ObjectSpec o = load.load(file);
        PrintWriter out = spec.commandLine().getOut();
        Main.Output mode = Main.output(spec);
        if (mode == Main.Output.PLAIN) {
            for (int i = 0; i < o.maps().size(); i++) {
                plain(out, i, o.maps().get(i));
            }
        } else {
            List<Map<String, Object>> all = new ArrayList<>();
            for (int i = 0; i < o.maps().size(); i++) {
                all.add(json(i, o.maps().get(i)));
            }
            Json.print(out, all, mode == Main.Output.PRETTY_JSON);
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> json(Integer id, MapSpec m) {
        Map<String, Object> j = new LinkedHashMap<>();
        if (id != null) {
            j.put("id", id);
        }
        j.put("type", m.type().bpftoolName());
        j.put("name", m.name());
        j.put("flags", Integer.toUnsignedLong(m.flags()));
        j.put("bytes_key", Integer.toUnsignedLong(m.keySize()));
        j.put("bytes_value", Integer.toUnsignedLong(m.valueSize()));
        j.put("max_entries", Integer.toUnsignedLong(m.maxEntries()));
        j.put("frozen", m.frozen() ? 1 : 0);
        if (m.numaNode() != 0) {
            j.put("numa_node", m.numaNode());
        }
        if (m.pinning() != 0) {
            j.put("pinning", pinning(m));
        }
        if (m.mapExtra() != 0) {
            j.put("map_extra", m.mapExtra());
        }
        j.put("section", m.origin().section());
        j.put("convention", m.origin().convention().shortName());
        if (m.inner() != null) {
            j.put("inner_map", json(null, m.inner()));
        }
        switch (m.contents()) {
            case MapContents.Slots s -> {
                Map<String, String> values = new LinkedHashMap<>();
                s.entries().forEach((k, v) -> values.put(Integer.toString(k), v));
                j.put("values", values);
            }
            case MapContents.Data d -> j.put("initial_value", HexFormat.of().formatHex(d.bytes()));
            case MapContents.Empty e -> { }
        }
        return j;
    }

    private static String pinning(MapSpec m) {
        if (m.origin().convention() == MapConvention.IPROUTE2_ELF_MAP) {
            return switch (m.pinning()) {
                case 1 -> "object_ns";
                case 2 -> "global_ns";
                default -> "custom:" + Integer.toUnsignedString(m.pinning());
            };
        }
        return m.pinning() == 1 ? "by_name" : Integer.toUnsignedString(m.pinning());
    }

    /** bpftool's plain layout: {@code 3: array  name foo  flags 0x0}, then key/value/max_entries. */
    private static void plain(PrintWriter out, int id, MapSpec m) {
        out.printf("%d: %s  name %s  flags 0x%x%n", id, m.type().bpftoolName(), m.name(), m.flags());
        out.printf("\tkey %sB  value %sB  max_entries %s%n", Integer.toUnsignedString(m.keySize()),
                Integer.toUnsignedString(m.valueSize()), Integer.toUnsignedString(m.maxEntries()));
        StringBuilder more = new StringBuilder("\tsection ").append(m.origin().section()).append(" (")
                .append(m.origin().convention().shortName()).append(')');
        if (m.frozen()) {
            more.append("  frozen");
        }
        if (m.pinning() != 0) {
            more.append("  pinning ").append(pinning(m));
        }
        out.println(more);
        if (m.inner() != null) {
            MapSpec in = m.inner();
            out.printf("\tinner %s  key %sB  value %sB  max_entries %s%n", in.type().bpftoolName(),
                    Integer.toUnsignedString(in.keySize()), Integer.toUnsignedString(in.valueSize()), Integer.toUnsignedString(in.maxEntries()));
        }
        if (m.contents() instanceof MapContents.Slots s) {
            out.println("\tvalues " + s.entries().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(" ")));
        }
    }
}

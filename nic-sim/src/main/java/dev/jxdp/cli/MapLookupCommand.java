package dev.jxdp.cli;

import dev.jxdp.maps.MapException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code jxdp map lookup FILE MAP key DATA}: one entry, or "Not found" (exit 1), as bpftool. */
@Command(name = "lookup", mixinStandardHelpOptions = true, description = "Look up a key in a map of an object.")
final class MapLookupCommand extends MapElemCommand {
    @Override
    int run(MapSource source, PrintWriter out, Main.Output mode) {
        MapArgs a = MapArgs.parse(args, true, false);
        MapAccess m = source.map(a.map);
        byte[] key = key(m, a);
        Optional<byte[]> value;
        try {
            value = m.lookup(key);
        } catch (MapException e) {
            throw failed("lookup failed", e);
        }
        MapPrinter p = new MapPrinter(m, mode);
        if (value.isEmpty()) {
            if (p.json()) {
                out.println("null");
            } else {
                out.println("key:");
                out.println(MapPrinter.hex(key));
                out.println();
                out.println("Not found");
            }
            return 1;
        }
        print(m, p, out, key, value.get());
        return 0;
    }

    /** An entry alone: JSON object, formatted (BTF) object, or the plain line. */
    static void print(MapAccess m, MapPrinter p, PrintWriter out, byte[] key, byte[] value) {
        if (p.json()) {
            JsonWriter w = p.writer();
            p.entryJson(w, key == null ? new byte[0] : key, value);
            w.printTo(out);
        } else if (m.formatted()) {
            JsonWriter w = new JsonWriter(true);
            p.btf(w, key, value, true);
            w.printTo(out);
        } else {
            p.entryPlain(out, key == null ? new byte[0] : key, value);
        }
    }
}

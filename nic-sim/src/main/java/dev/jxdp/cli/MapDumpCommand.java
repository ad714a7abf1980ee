package dev.jxdp.cli;

import dev.jxdp.maps.MapException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code jxdp map dump FILE MAP}: every entry, as {@code bpftool map dump} prints them. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Dump all entries of a map of an object (its state after loading: global data, .values slots).")
final class MapDumpCommand extends MapElemCommand {
    @Override
    int run(MapSource source, PrintWriter out, Main.Output mode) {
        MapAccess m = source.map(MapArgs.parse(args, false, false).map);
        MapPrinter p = new MapPrinter(m, mode);
        JsonWriter w = p.json() ? p.writer() : m.formatted() ? new JsonWriter(true) : null;
        int found = dump(m, p, w, out);
        if (w != null) {
            w.printTo(out);
        } else {
            out.println("Found " + found + " element" + (found != 1 ? "s" : ""));
        }
        return 0;
    }

    /**
     * Every entry of {@code m}: as a JSON array into {@code w} (bpftool -j, or its formatted plain
     * output for maps with BTF), else as plain lines into {@code out}. Returns how many were found.
     */
    static int dump(MapAccess m, MapPrinter p, JsonWriter w, PrintWriter out) {
        if (w != null) {
            w.startArray();
        }
        int found = 0;
        byte[] key = null;
        while (true) {
            Optional<byte[]> next;
            try {
                next = m.nextKey(key);
            } catch (MapException e) {
                throw failed("can't get next key", e);
            }
            if (next.isEmpty()) {
                break;
            }
            key = next.get();
            Optional<byte[]> value;
            String error = null;
            try {
                value = m.lookup(key);
                if (value.isEmpty()) {
                    error = "No such file or directory";
                }
            } catch (MapException e) {
                value = Optional.empty();
                error = e.errno().description();
            }
            if (value.isEmpty() && (m.progArray() || m.mapOfMaps()) && error.equals("No such file or directory")) {
                // print_entry_error: an empty slot of a prog array or map-in-map is no entry, not an error.
                continue;
            }
            if (value.isPresent()) {
                found++;
                if (p.json()) {
                    p.entryJson(w, key, value.get());
                } else if (m.formatted()) {
                    p.btf(w, key, value.get(), true);
                } else {
                    p.entryPlain(out, key, value.get());
                }
            } else if (p.json()) {
                w.startObject().name("key");
                MapPrinter.hexArray(w, key, 0, m.keySize());
                w.name("value").startObject().name("error").string(error).endObject().endObject();
            } else {
                p.errorPlain(out, key, error.equals("No such file or directory") ? "<no entry>" : error);
            }
        }
        if (w != null) {
            w.endArray();
        }
        return found;
    }
}

package dev.jxdp.cli;

import dev.jxdp.maps.Errnos;
import dev.jxdp.maps.MapException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code jxdp map getnext FILE MAP [key DATA]}: the key after DATA (or the first), as bpftool prints it. */
@Command(name = "getnext", mixinStandardHelpOptions = true, description = "Get the next key of a map of an object.")
final class MapGetNextCommand extends MapElemCommand {
    @Override
    int run(MapSource source, PrintWriter out, Main.Output mode) {
        MapArgs a = MapArgs.parse(args, true, false);
        MapAccess m = source.map(a.map);
        byte[] key = a.key == null ? null : MapArgs.bytes(a.key, "key", m.keySize());
        Optional<byte[]> next;
        try {
            next = m.nextKey(key);
        } catch (MapException e) {
            throw failed("can't get next key", e);
        }
        if (next.isEmpty()) {
            throw failed("can't get next key", new MapException(m.name(), "BPF_MAP_GET_NEXT_KEY", Errnos.ENOENT));
        }
        if (mode != Main.Output.PLAIN) {
            JsonWriter w = new JsonWriter(mode == Main.Output.PRETTY_JSON).startObject();
            w.name("key");
            if (key == null) {
                w.nullValue();
            } else {
                MapPrinter.hexArray(w, key, 0, key.length);
            }
            w.name("next_key");
            MapPrinter.hexArray(w, next.get(), 0, next.get().length);
            w.endObject().printTo(out);
        } else {
            if (key == null) {
                out.println("key: None");
            } else {
                out.println("key:");
                out.println(MapPrinter.hex(key));
            }
            out.println("next key:");
            out.println(MapPrinter.hex(next.get()));
        }
        return 0;
    }
}

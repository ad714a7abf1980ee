package dev.jxdp.cli;

import dev.jxdp.maps.Errnos;
import dev.jxdp.maps.MapException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code jxdp map delete FILE MAP key DATA}: on a fresh copy of the object's maps, as bpftool reports it. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an entry of a map of an object.")
final class MapDeleteCommand extends MapElemCommand {
    @Override
    int run(MapSource source, PrintWriter out, Main.Output mode) {
        MapArgs a = MapArgs.parse(args, true, false);
        MapAccess m = source.map(a.map);
        byte[] key = key(m, a);
        boolean deleted;
        try {
            deleted = m.delete(key);
        } catch (MapException e) {
            throw failed("delete failed", e);
        }
        if (!deleted) {
            throw failed("delete failed", new MapException(m.name(), "BPF_MAP_DELETE_ELEM", Errnos.ENOENT));
        }
        if (mode != Main.Output.PLAIN) {
            out.println("null");
        }
        return 0;
    }
}

package dev.jxdp.cli;

import dev.jxdp.maps.MapException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code jxdp map update FILE MAP key DATA value VALUE [any|exist|noexist]}: on a fresh copy of the
 * object's maps (it shows whether the kernel's rules let the update through); prints nothing, or
 * {@code null} with -j, as bpftool.
 */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Update (or create) an entry of a map of an object; the flags are bpftool's any, exist, noexist.")
final class MapUpdateCommand extends MapElemCommand {
    @Override
    int run(MapSource source, PrintWriter out, Main.Output mode) {
        MapArgs a = MapArgs.parse(args, true, true);
        MapAccess m = source.map(a.map);
        byte[] key = key(m, a);
        byte[] value = value(m, a);
        try {
            m.update(key, value, a.flags);
        } catch (MapException e) {
            throw failed("update failed", e);
        }
        if (mode != Main.Output.PLAIN) {
            out.println("null");
        }
        return 0;
    }
}

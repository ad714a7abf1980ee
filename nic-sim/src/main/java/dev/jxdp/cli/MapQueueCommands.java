package dev.jxdp.cli;

import dev.jxdp.maps.MapException;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code jxdp map peek|push|pop FILE MAP}: bpftool's commands for queues and stacks. */
final class MapQueueCommands {
    private MapQueueCommands() {}

    @Command(name = "peek", mixinStandardHelpOptions = true, description = "Peek at the head of a queue or stack.")
    static final class Peek extends MapElemCommand {
        @Override
        int run(MapSource source, PrintWriter out, Main.Output mode) {
            return show(args, source, out, mode, false);
        }
    }

    @Command(name = "pop", aliases = "dequeue", mixinStandardHelpOptions = true, description = "Pop the head of a queue or stack.")
    static final class Pop extends MapElemCommand {
        @Override
        int run(MapSource source, PrintWriter out, Main.Output mode) {
            return show(args, source, out, mode, true);
        }
    }

    @Command(name = "push", aliases = "enqueue", mixinStandardHelpOptions = true, description = "Push a value on a queue or stack.")
    static final class Push extends MapElemCommand {
        @Override
        int run(MapSource source, PrintWriter out, Main.Output mode) {
            MapArgs a = MapArgs.parse(args, false, true);
            MapAccess m = source.map(a.map);
            try {
                m.update(null, value(m, a), a.flags);
            } catch (MapException e) {
                throw failed("update failed", e);
            }
            if (mode != Main.Output.PLAIN) {
                out.println("null");
            }
            return 0;
        }
    }

    /** Peek or pop: the value, or "empty map". */
    private static int show(java.util.List<String> args, MapSource source, PrintWriter out, Main.Output mode, boolean pop) {
        MapArgs a = MapArgs.parse(args, false, false);
        MapAccess m = source.map(a.map);
        if (!pop) {
            // bpftool's peek is its lookup (do_lookup), whose parse_elem asks for a key where the map has one:
            // on a hash or an array it fails with "did not find key" before the kernel is asked
            MapElemCommand.key(m, a);
        }
        Optional<byte[]> value;
        try {
            value = pop ? m.lookupAndDelete(null) : m.lookup(null);
        } catch (MapException e) {
            throw MapElemCommand.failed(pop ? "pop failed" : "peek failed", e);
        }
        if (value.isEmpty()) {
            throw new IllegalStateException("empty map");
        }
        MapLookupCommand.print(m, new MapPrinter(m, mode), out, null, value.get());
        return 0;
    }
}

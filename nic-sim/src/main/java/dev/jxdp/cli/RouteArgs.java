package dev.jxdp.cli;

import dev.jxdp.hooks.RouteTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Option;

/**
 * {@code --route} and {@code --neigh}: the routes and neighbours bpf_fib_lookup consults, in the words
 * of {@code ip route add} and {@code ip neigh add}, so that a router program's table is written as it
 * would be for the kernel. Ports are named as the command names them ({@code dev PORT}).
 */
final class RouteArgs {
    @Option(names = "--route", paramLabel = "'[TYPE] PREFIX [via ADDR] [dev PORT] [metric N] [mtu N]'",
            description = "A route for bpf_fib_lookup, as 'ip route add' takes it: TYPE unicast (default), blackhole, unreachable "
                    + "or prohibit; PREFIX an IPv4/IPv6 prefix or 'default'. Repeatable.")
    List<String> routes = new ArrayList<>();

    @Option(names = "--neigh", paramLabel = "'ADDR lladdr MAC dev PORT'",
            description = "A neighbour for bpf_fib_lookup, as 'ip neigh add' takes it. Repeatable.")
    List<String> neighbours = new ArrayList<>();

    /** Adds every route and neighbour to {@code table}; {@code port} gives a port's ifindex by name or fails. */
    void fill(RouteTable table, ToIntFunction<String> port) {
        for (String r : routes) {
            try {
                route(table, r, port);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--route '" + r + "': " + e.getMessage());
            }
        }
        for (String n : neighbours) {
            try {
                neighbour(table, n, port);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--neigh '" + n + "': " + e.getMessage());
            }
        }
    }

    private static void route(RouteTable table, String text, ToIntFunction<String> port) {
        List<String> words = words(text);
        RouteTable.Kind kind = RouteTable.Kind.UNICAST;
        if (!words.isEmpty()) {
            switch (words.getFirst()) {
                case "unicast" -> words.removeFirst();
                case "blackhole", "unreachable", "prohibit" -> kind = RouteTable.Kind.valueOf(words.removeFirst().toUpperCase(Locale.ROOT));
                default -> { }
            }
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no prefix");
        }
        String prefix = words.removeFirst();
        String via = null;
        Integer dev = null;
        int metric = 0;
        int mtu = 0;
        while (!words.isEmpty()) {
            String key = words.removeFirst();
            String value = value(words, key);
            switch (key) {
                case "via" -> via = value;
                case "dev" -> dev = port.applyAsInt(value);
                case "metric", "preference" -> metric = number(key, value);
                case "mtu" -> mtu = number(key, value);
                default -> throw new IllegalArgumentException("unknown word '" + key + "' (want via, dev, metric or mtu)");
            }
        }
        if (kind == RouteTable.Kind.UNICAST && dev == null) {
            throw new IllegalArgumentException("a unicast route needs 'dev PORT'");
        }
        if (prefix.equals("default")) {
            prefix = via != null && via.contains(":") ? "::/0" : "0.0.0.0/0";
        }
        table.route(prefix, kind, via, dev == null ? 0 : dev, metric, mtu);
    }

    private static void neighbour(RouteTable table, String text, ToIntFunction<String> port) {
        List<String> words = words(text);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no address");
        }
        String address = words.removeFirst();
        String mac = null;
        Integer dev = null;
        while (!words.isEmpty()) {
            String key = words.removeFirst();
            String value = value(words, key);
            switch (key) {
                case "lladdr" -> mac = value;
                case "dev" -> dev = port.applyAsInt(value);
                case "nud" -> { } // every neighbour here is permanent
                default -> throw new IllegalArgumentException("unknown word '" + key + "' (want lladdr or dev)");
            }
        }
        if (mac == null || dev == null) {
            throw new IllegalArgumentException("a neighbour needs 'lladdr MAC' and 'dev PORT'");
        }
        table.neighbour(dev, address, mac);
    }

    private static List<String> words(String text) {
        return new ArrayList<>(List.of(text.trim().split("\\s+")).stream().filter(w -> !w.isEmpty()).toList());
    }

    private static String value(List<String> words, String key) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("'" + key + "' wants a value");
        }
        return words.removeFirst();
    }

    private static int number(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' wants a number, not '" + value + "'");
        }
    }
}

package dev.jxdp.hooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The routes and neighbours bpf_fib_lookup consults, which the user configures (the kernel's FIB and
 * neighbour tables of the namespace). Routes match by longest prefix, then lowest metric; a route with
 * a gateway forwards to it, one without is directly connected (the destination is the next hop).
 * Thread-safe: updates may happen while packets are looked up.
 */
public final class RouteTable {
    /** RTN_UNICAST, RTN_BLACKHOLE, RTN_UNREACHABLE, RTN_PROHIBIT: what a matching route does. */
    public enum Kind { UNICAST, BLACKHOLE, UNREACHABLE, PROHIBIT }

    /**
     * One route.
     *
     * @param prefix the network (4 or 16 bytes)
     * @param prefixLength its length in bits
     * @param gateway the next hop, or null for a directly connected network
     * @param ifindex the device it leaves through
     * @param metric its priority (lower wins among equal prefixes)
     * @param mtu the route's MTU, or 0 for the device's
     */
    public record Route(byte[] prefix, int prefixLength, Kind kind, byte[] gateway, int ifindex, int metric, int mtu) {
        public Route {
            prefix = prefix.clone();
            gateway = gateway == null ? null : gateway.clone();
            Objects.requireNonNull(kind);
            if (prefix.length != 4 && prefix.length != 16 || prefixLength < 0 || prefixLength > prefix.length * 8) {
                throw new IllegalArgumentException("bad prefix /" + prefixLength + " of " + prefix.length + " bytes");
            }
        }

        @Override
        public byte[] prefix() {
            return prefix.clone();
        }

        @Override
        public byte[] gateway() {
            return gateway == null ? null : gateway.clone();
        }

        boolean matches(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            return rest == 0 || ((address[full] ^ prefix[full]) & (0xff00 >> rest)) == 0;
        }
    }

    private record NeighbourKey(int ifindex, String address) {}

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final Map<NeighbourKey, byte[]> neighbours = new ConcurrentHashMap<>();

    /** Adds a route: {@code cidr} as "10.0.0.0/8" or "2001:db8::/32", {@code via} a gateway address or null. */
    public RouteTable route(String cidr, String via, int ifindex) {
        return route(cidr, Kind.UNICAST, via, ifindex, 0, 0);
    }

    public RouteTable route(String cidr, Kind kind, String via, int ifindex, int metric, int mtu) {
        int slash = cidr.indexOf('/');
        byte[] prefix = address(slash < 0 ? cidr : cidr.substring(0, slash));
        int len = slash < 0 ? prefix.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        routes.add(new Route(prefix, len, kind, via == null ? null : address(via), ifindex, metric, mtu));
        return this;
    }

    /** Adds a neighbour: on {@code ifindex}, {@code ip} has Ethernet address {@code mac} ("02:00:00:00:00:01"). */
    public RouteTable neighbour(int ifindex, String ip, String mac) {
        byte[] m = java.util.HexFormat.ofDelimiter(":").parseHex(mac);
        if (m.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes: " + mac);
        }
        neighbours.put(new NeighbourKey(ifindex, Arrays.toString(address(ip))), m);
        return this;
    }

    /** The best route to {@code address}, or null. */
    public Route lookup(byte[] address) {
        Route best = null;
        for (Route r : routes) {
            if (r.matches(address) && (best == null || r.prefixLength > best.prefixLength
                    || r.prefixLength == best.prefixLength && r.metric < best.metric)) {
                best = r;
            }
        }
        return best;
    }

    /** The Ethernet address of {@code address} on {@code ifindex}, or null. */
    public byte[] neighbour(int ifindex, byte[] address) {
        byte[] m = neighbours.get(new NeighbourKey(ifindex, Arrays.toString(address)));
        return m == null ? null : m.clone();
    }

    public List<Route> routes() {
        return new ArrayList<>(routes);
    }

    private static byte[] address(String text) {
        // only literals: InetAddress would look a name up in DNS
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !text.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
    }
}

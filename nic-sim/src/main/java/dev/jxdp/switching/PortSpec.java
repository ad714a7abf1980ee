package dev.jxdp.switching;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code --port} (or {@code --host}) of {@code jxdp switch}: {@code KIND:TARGET[,KEY=VALUE...]}.
 *
 * <pre>
 * tap:DEV[,offload=on|off][,lossless=on|off][,mtu=N]
 *                              a tap device jxdp creates (and removes at exit); the port is named DEV; with
 *                              offload=on (the default) it is opened with IFF_VNET_HDR and TCP segmentation and
 *                              checksum offloads, so that 64 KB TCP segments cross the switch whole; with
 *                              lossless=on (the default) full rings make it wait, not drop (TapPort); mtu=N
 *                              (default 1500) is the device's MTU, set when jxdp creates it, and what XDP
 *                              redirects to the port are held to
 * udp:HOST:PORT[,listen=[ADDR:]LPORT][,mtu=N]   a UDP wire to HOST:PORT, listening on LPORT (default: PORT);
 *                              mtu=N (default 1500, at most 9000, what its buffers hold) is what XDP
 *                              redirects to it are held to: set both ends of a wire alike, as for a cable
 * packet:DEV                   an existing interface through an AF_PACKET socket (frames keep their skb mark)
 * pcap:FILE                    (--host only) the local stack as a capture file
 * options: name=NAME (the port's name; default DEV, or udpN), queues=N (receive and transmit queues, default 1)
 * </pre>
 */
public sealed interface PortSpec {
    /** The port's name (what --xdp PORT=... and the stats call it). */
    String name();

    /** Receive and transmit queues. */
    int queues();

    /** @param mtu the device's MTU (1500 unless mtu= says otherwise) */
    record Tap(String name, String device, int queues, boolean offloads, boolean lossless, int mtu) implements PortSpec {
        /** A tap with offloads, lossless, MTU 1500 (the defaults). */
        public Tap(String name, String device, int queues) {
            this(name, device, queues, true, true, DEFAULT_MTU);
        }
    }

    /** What --host takes, as the README lists it: the kinds whose ports are HostPorts. */
    String HOST_KINDS = "tap:DEV, packet:DEV or pcap:FILE";

    /** A new Ethernet device's MTU (ETH_DATA_LEN). */
    int DEFAULT_MTU = 1500;

    record Packet(String name, String device, int queues) implements PortSpec {}

    /** @param mtu the wire's MTU (1500 unless mtu= says otherwise) */
    record Udp(String name, InetSocketAddress peer, InetSocketAddress listen, int queues, int mtu) implements PortSpec {}

    record Pcap(String name, Path file, int queues) implements PortSpec {}

    /**
     * Parses one port; {@code index} numbers unnamed UDP ports; {@code host} allows pcap:.
     *
     * @throws IllegalArgumentException naming the option and what is wrong
     */
    static PortSpec parse(String text, int index, boolean host) {
        String option = host ? "--host" : "--port";
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(option + " " + text + ": expected KIND:TARGET (" + (host ? HOST_KINDS : "tap:DEV, udp:HOST:PORT, packet:DEV") + ")");
        }
        String kind = text.substring(0, colon);
        List<String> parts = List.of(text.substring(colon + 1).split(",", -1));
        String target = parts.getFirst();
        Map<String, String> opts = new LinkedHashMap<>();
        for (String p : parts.subList(1, parts.size())) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " " + text + ": expected KEY=VALUE after ',', got '" + p + "'");
            }
            opts.put(p.substring(0, eq), p.substring(eq + 1));
        }
        if (target.isEmpty()) {
            throw new IllegalArgumentException(option + " " + text + ": " + kind + ": needs a target");
        }
        int queues = queues(option, text, opts.remove("queues"));
        String name = opts.remove("name");
        PortSpec spec = switch (kind) {
            case "tap" -> {
                if (target.length() > 15) {
                    throw new IllegalArgumentException(option + " " + text + ": device name '" + target + "' is longer than 15 characters (IFNAMSIZ)");
                }
                boolean offload = onOff(option, text, "offload", opts.remove("offload"));
                boolean lossless = onOff(option, text, "lossless", opts.remove("lossless"));
                int mtu = mtu(option, text, opts.remove("mtu"));
                yield new Tap(name != null ? name : target, target, queues, offload, lossless, mtu);
            }
            case "packet" -> new Packet(name != null ? name : target, target, queues);
            case "udp" -> {
                if (host) {
                    // said here, in the command line's words, rather than by the datapath, which knows only port classes
                    throw new IllegalArgumentException(option + " " + text + ": a UDP wire cannot stand for the local stack (" + HOST_KINDS + ")");
                }
                InetSocketAddress peer = address(option, text, target, null);
                String listen = opts.remove("listen");
                InetSocketAddress local = listen == null ? new InetSocketAddress(peer.getPort())
                        : address(option, text, listen.contains(":") ? listen : "0.0.0.0:" + listen, null);
                yield new Udp(name != null ? name : "udp" + index, peer, local, queues, mtu(option, text, opts.remove("mtu")));
            }
            case "pcap" -> {
                if (!host) {
                    throw new IllegalArgumentException(option + " " + text + ": a capture file can only stand for the host (--host pcap:FILE);"
                            + " use jxdp replay for pcap sources");
                }
                yield new Pcap(name != null ? name : "host", Path.of(target), queues);
            }
            default -> throw new IllegalArgumentException(option + " " + text + ": unknown port kind '" + kind + "' ("
                    + (host ? "tap, packet, pcap" : "tap, udp, packet") + ")");
        };
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException(option + " " + text + ": unknown option '" + opts.keySet().iterator().next()
                    + "' (name, queues" + (kind.equals("udp") ? ", listen, mtu" : kind.equals("tap") ? ", offload, lossless, mtu" : "") + ")");
        }
        return spec;
    }

    /** An on/off option: on when not given. */
    private static boolean onOff(String option, String text, String key, String value) {
        if (value == null || value.equals("on")) {
            return true;
        }
        if (value.equals("off")) {
            return false;
        }
        throw new IllegalArgumentException(option + " " + text + ": " + key + " must be on or off, not '" + value + "'");
    }

    /** mtu=N: 68 (IPv4's least) to 65535 (a tap's most); the port's buffers may allow less (said when it is made). */
    private static int mtu(String option, String text, String value) {
        if (value == null) {
            return DEFAULT_MTU;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 68 && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " " + text + ": mtu must be 68 to 65535, not '" + value + "'");
    }

    private static int queues(String option, String text, String value) {
        if (value == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " " + text + ": queues must be 1 to 64, not '" + value + "'");
    }

    private static InetSocketAddress address(String option, String text, String hostPort, Integer defaultPort) {
        int c = hostPort.lastIndexOf(':');
        if (c <= 0) {
            throw new IllegalArgumentException(option + " " + text + ": expected HOST:PORT, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, c);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(c + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(option + " " + text + ": port '" + hostPort.substring(c + 1) + "' is not 1 to 65535");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException(option + " " + text + ": cannot resolve host '" + host + "'");
        }
        return a;
    }
}

package dev.jxdp.cli;

import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.TxQueue;
import dev.jxdp.hooks.RouteTable;
import dev.jxdp.nic.pipeline.PipelineProcessor;
import dev.jxdp.nic.port.discard.DiscardPort;
import dev.jxdp.nic.port.pcap.PcapSink;
import dev.jxdp.nic.port.pcap.PcapSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine a replay runs on: the capture as the receiving port (ifindex {@value #INPUT_IFINDEX},
 * as eth0 is in a fresh network namespace), the ports redirects may reach, and one port per outcome
 * recording what ends there, a pcap file in the output directory or, without one, nowhere:
 *
 * <pre>
 * pass.pcap          XDP_PASS then tc ingress: what the host stack received
 * tx.pcap            out of the capture's port: XDP_TX, a tc redirect to its egress
 * redirect-N.pcap    out of port N (--port N): devmap and bpf_redirect targets, after N's tc egress
 * drop.pcap          XDP_DROP, TC_ACT_SHOT, failed redirects: the frame as XDP left it
 * aborted.pcap       XDP_ABORTED, unknown actions, program faults: the frame as XDP left it
 * </pre>
 */
final class ReplayRig {
    static final int INPUT_IFINDEX = 2;
    /** Ports that only record are numbered from here, out of the way of the ifindexes programs see. */
    private static final int RECORDERS = 1000;

    final PcapSource in;
    final Port pass;
    final Port tx;
    final Port drop;
    final Port aborted;
    /** Redirect targets, by ifindex. */
    final Map<Integer, Port> targets = new LinkedHashMap<>();
    final PipelineProcessor processor;
    private final Path outDir;
    /** Every port's MTU (--mtu). */
    private final int mtu;

    ReplayRig(Path capture, PcapSource.Options options, int workers, int queues, List<Integer> ports, Path outDir, RouteTable routes, int mtu)
            throws IOException {
        this.outDir = outDir;
        this.mtu = mtu;
        PortConfig inConfig = PortConfig.of(INPUT_IFINDEX).withQueues(queues, 1);
        try {
            inConfig = inConfig.withMtu(mtu); // before anything is made: the other ports' buffers are the same
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mtu " + mtu + ": " + e.getMessage(), e);
        }
        if (outDir != null) {
            Files.createDirectories(outDir);
        }
        in = new PcapSource("in", inConfig, capture, options);
        tx = recorder("tx", RECORDERS);
        pass = recorder("pass", RECORDERS + 1);
        drop = recorder("drop", RECORDERS + 2);
        aborted = recorder("aborted", RECORDERS + 3);
        PipelineProcessor.Builder b = PipelineProcessor.builder().workers(workers).port(in, tx).dropsTo(drop).abortsTo(aborted)
                .latencySampling(1).routes(routes);
        for (int ifindex : ports) {
            if (ifindex <= INPUT_IFINDEX || ifindex >= RECORDERS) {
                throw new IllegalArgumentException("--port " + ifindex + ": redirect ports are ifindex 3 to " + (RECORDERS - 1)
                        + " (1 is lo, " + INPUT_IFINDEX + " the capture's port)");
            }
            if (targets.containsKey(ifindex)) {
                throw new IllegalArgumentException("--port " + ifindex + " given twice");
            }
            Port p = recorder("redirect-" + ifindex, ifindex);
            targets.put(ifindex, p);
            b.port(p);
        }
        processor = b.build();
    }

    /** A port as {@code dev PORT} names it: the capture's ifindex or one of the {@code --port}s. */
    static int ifindex(String name, List<Integer> ports) {
        try {
            int ifindex = Integer.parseInt(name);
            if (ifindex == INPUT_IFINDEX || ports.contains(ifindex)) {
                return ifindex;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        StringBuilder known = new StringBuilder().append(INPUT_IFINDEX);
        ports.forEach(p -> known.append(", ").append(p));
        throw new IllegalArgumentException("no port " + name + " (ports: " + known + "; add one with --port N)");
    }

    private Port recorder(String name, int ifindex) {
        PortConfig config = PortConfig.of(ifindex).withMtu(mtu);
        return outDir == null ? new DiscardPort(name, config) : new PcapSink(name, config, file(name));
    }

    /** The file of an outcome, or null without an output directory. */
    Path file(String outcome) {
        return outDir == null ? null : outDir.resolve(outcome + ".pcap");
    }

    Datapath datapath() {
        return processor.datapath().host(pass).build();
    }

    /** The ports whose programs the pipeline runs: the capture's, then the redirect targets. */
    List<Port> pipelinePorts() {
        List<Port> l = new ArrayList<>();
        l.add(in);
        l.addAll(targets.values());
        return l;
    }

    /** Every outcome's port, by outcome name, in the order the summary shows them. */
    Map<String, Port> outcomes() {
        Map<String, Port> m = new LinkedHashMap<>();
        m.put("pass", pass);
        m.put("tx", tx);
        targets.forEach((i, p) -> m.put("redirect-" + i, p));
        m.put("drop", drop);
        m.put("aborted", aborted);
        return m;
    }

    static long sent(Port p) {
        long n = 0;
        for (int q = 0; q < p.txQueueCount(); q++) {
            n += p.txQueue(q).packets.get();
        }
        return n;
    }

    static long sentBytes(Port p) {
        long n = 0;
        for (int q = 0; q < p.txQueueCount(); q++) {
            n += p.txQueue(q).bytes.get();
        }
        return n;
    }

    /** Frames that never reached an outcome's port (a full ring, a write error). */
    static long lost(Port p) {
        long n = 0;
        for (int q = 0; q < p.txQueueCount(); q++) {
            TxQueue t = p.txQueue(q);
            n += t.dropped.get() + t.errors.get();
        }
        return n;
    }
}

package dev.jxdp.switching;

import dev.jxdp.control.ControlApi;
import dev.jxdp.control.ControlServer;
import dev.jxdp.control.MapInfo;
import dev.jxdp.control.MapRegistry;
import dev.jxdp.control.ProgramInfo;
import dev.jxdp.control.RunFile;
import dev.jxdp.control.StatsCollector;
import dev.jxdp.control.SwitchStats;
import dev.jxdp.hooks.Hook;
import dev.jxdp.hooks.XdpAction;
import dev.jxdp.hooks.XdpChain;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.frame.FrameLayout;
import dev.jxdp.nic.pipeline.PipelineProcessor;
import dev.jxdp.nic.port.packet.PacketPort;
import dev.jxdp.nic.port.pcap.PcapSink;
import dev.jxdp.nic.port.tap.TapPort;
import dev.jxdp.nic.port.udp.UdpWirePort;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A running software switch: NIC ports on real interfaces (taps, UDP wires), the XDP/tc programs
 * attached per port, the poll-mode workers, and the control endpoint with its run file.
 *
 * <p>Each object file is loaded once, whichever ports its programs are attached to, so those programs
 * share its maps (a learning switch's MAC table is one table for all ports), as one program fd
 * attached to several devices shares its maps in the kernel.
 *
 * <p>{@link #close()} stops in the order that loses nothing already taken in: the run file and the
 * endpoint go first (no new requests), then the datapath (ports stop receiving, workers drain the
 * queues, transmit queues are flushed, buffers freed), then the objects' maps.
 */
public final class Switch implements AutoCloseable, ControlApi {
    /** How an object file becomes a spec (the command line's --type/--rodata choices). */
    public interface ObjectReader {
        ObjectSpec read(Path file) throws IOException;
    }

    private final SwitchConfig config;
    private final Map<String, Port> ports = new LinkedHashMap<>();
    private final Map<Path, LoadedObject> objects = new LinkedHashMap<>();
    private final Map<LoadedProgram, List<String>> attached = new LinkedHashMap<>();
    private final MapRegistry registry = new MapRegistry();
    private Port hostPort;
    private PipelineProcessor processor;
    private Datapath datapath;
    private StatsCollector stats;
    private ControlServer control;
    private RunFile runFile;
    private MtuWatch mtuWatch;

    private Switch(SwitchConfig config) {
        this.config = config;
    }

    /**
     * Builds and starts the switch.
     *
     * @throws IOException if a port, an object or the control endpoint cannot be opened (the message
     *     says which); what was started is stopped again
     * @throws IllegalArgumentException for a configuration that cannot work (an unknown port, a
     *     program of the wrong type)
     */
    public static Switch start(SwitchConfig config, ObjectReader reader) throws IOException {
        RunFile.checkName(config.name());
        Switch s = new Switch(config);
        try {
            s.build(reader);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void build(ObjectReader reader) throws IOException {
        RunFile.running(config.name()).ifPresent(existing -> {
            throw new IllegalArgumentException("jxdp instance '" + config.name() + "' is running already (process " + existing.pid()
                    + "): choose another --name");
        });
        int ifindex = 2;
        List<Port> nic = new ArrayList<>();
        for (PortSpec p : config.ports()) {
            if (ports.containsKey(p.name())) {
                throw new IllegalArgumentException("two ports named " + p.name() + ": give one name=NAME");
            }
            Port port = port(p, ifindex++);
            ports.put(p.name(), port);
            nic.add(port);
        }
        Port host = null;
        if (config.host() != null) {
            if (ports.containsKey(config.host().name())) {
                throw new IllegalArgumentException("--host " + config.host().name() + ": a --port has that name too");
            }
            host = port(config.host(), ifindex);
            hostPort = host;
        }
        PipelineProcessor.Builder pb = PipelineProcessor.builder().workers(config.workers()).routes(config.routes());
        nic.forEach(pb::port);
        if (config.hostEgress() != null) {
            Port out = ports.get(config.hostEgress());
            if (out == null) {
                throw new IllegalArgumentException("--host-egress " + config.hostEgress() + ": no port " + config.hostEgress() + " (ports: "
                        + String.join(", ", ports.keySet()) + ")");
            }
            if (host == null) {
                throw new IllegalArgumentException("--host-egress " + config.hostEgress() + " needs a --host port");
            }
            pb.hostEgress(out);
        }
        processor = pb.build();
        for (AttachSpec a : config.attach()) {
            attach(a, reader);
        }
        Datapath.Builder db = processor.datapath();
        if (host != null) {
            db.host(host);
        }
        datapath = db.build();
        stats = new StatsCollector(config.name(), datapath, processor.pipeline());
        datapath.start();
        // the NIC ports: frames are redirected to them (the host port is the stack's way in, not a redirect target)
        mtuWatch = MtuWatch.start(List.copyOf(ports.values()), processor, java.time.Duration.ofSeconds(1));
        control = ControlServer.start(config.controlPort(), this);
        runFile = new RunFile(config.name(), ProcessHandle.current().pid(), control.host(), control.port(), System.currentTimeMillis());
        runFile.write();
    }

    private Port port(PortSpec p, int ifindex) {
        PortConfig c = PortConfig.of(ifindex).withQueues(p.queues(), p.queues());
        return switch (p) {
            case PortSpec.Tap t -> new TapPort(t.name(), tapConfig(t, c), t.device(), t.offloads(), t.lossless());
            case PortSpec.Udp u -> new UdpWirePort(u.name(), withMtu(c, u.mtu(), "udp:" + u.peer().getHostString() + ":" + u.peer().getPort(),
                    ""), u.listen(), u.peer());
            // the interface's MTU, as far as the buffers (a packet port's are large) hold frames (a longer one could not be carried anyway)
            case PortSpec.Packet k -> {
                PortConfig laid = c.withLayout(FrameLayout.OFFLOADS);
                yield new PacketPort(k.name(), laid.withMtu(Math.min(PacketPort.interfaceMtu(k.device(), c.mtu()), laid.maxMtu())), k.device());
            }
            case PortSpec.Pcap f -> new PcapSink(f.name(), c, f.file());
        };
    }

    /** A tap's buffers (large ones with offloads) and then its MTU, which they must hold. */
    private static PortConfig tapConfig(PortSpec.Tap t, PortConfig c) {
        PortConfig laid = t.offloads() ? c.withLayout(FrameLayout.OFFLOADS) : c;
        return withMtu(laid, t.mtu(), "tap:" + t.device(), t.offloads() ? "" : " (a tap with offload=on has room for 64 KB)");
    }

    /** {@code c} with MTU {@code mtu}, or an error naming the port ({@code spec}) if its buffers cannot hold such frames. */
    private static PortConfig withMtu(PortConfig c, int mtu, String spec, String hint) {
        try {
            return c.withMtu(mtu);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--port " + spec + ": " + e.getMessage() + hint, e);
        }
    }

    private void attach(AttachSpec a, ObjectReader reader) throws IOException {
        Port nic = ports.get(a.port());
        if (nic == null) {
            throw new IllegalArgumentException(option(a.hook()) + " " + a.port() + "=...: no port " + a.port() + " (ports: "
                    + String.join(", ", ports.keySet()) + ")");
        }
        LoadedObject o = object(a.object(), reader);
        ProgramType want = a.hook() == Hook.XDP ? ProgramType.XDP : ProgramType.SCHED_CLS;
        LoadedProgram p = program(o, a, want);
        dev.jxdp.hooks.Port port = processor.port(nic);
        var pipeline = processor.pipeline();
        if (a.hook() == Hook.XDP) {
            // libxdp's dispatcher: lower priorities run first; XDP_PASS goes on to the next program
            pipeline.updateXdp(port, c -> c.with(p, 10 + 10 * c.entries().size(), XdpAction.PASS));
        } else {
            pipeline.attachTc(port, a.hook(), p);
        }
        attached.computeIfAbsent(p, k -> new ArrayList<>()).add(a.port() + " " + a.hook().name().toLowerCase(Locale.ROOT));
    }

    private LoadedObject object(Path file, ObjectReader reader) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        LoadedObject o = objects.get(key);
        if (o == null) {
            o = LoadedObject.load(reader.read(file), processor.objectOptions());
            objects.put(key, o);
            registry.add(key, o);
        }
        return o;
    }

    private static LoadedProgram program(LoadedObject o, AttachSpec a, ProgramType want) {
        List<LoadedProgram> candidates = new ArrayList<>();
        for (LoadedProgram p : o.programs()) {
            if (a.program() == null ? p.type() == want
                    : p.name().equals(a.program()) || p.spec().section().equals(a.program())) {
                candidates.add(p);
            }
        }
        String where = option(a.hook()) + " " + a.port() + "=" + a.object() + (a.program() == null ? "" : ":" + a.program());
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + (a.program() == null ? "no " + want.name().toLowerCase(Locale.ROOT) + " program"
                    : "no program or section '" + a.program() + "'") + " in the object (programs: "
                    + String.join(", ", o.programs().stream().map(p -> p.name() + " (" + p.spec().section() + ")").toList()) + ")");
        }
        if (candidates.size() > 1) {
            throw new IllegalArgumentException(where + ": several programs match (" + String.join(", ",
                    candidates.stream().map(LoadedProgram::name).toList()) + "): name one after ':'");
        }
        LoadedProgram p = candidates.getFirst();
        if (p.type() != want) {
            throw new IllegalArgumentException(where + ": " + p.name() + " is a " + p.type().name().toLowerCase(Locale.ROOT)
                    + " program, not " + want.name().toLowerCase(Locale.ROOT));
        }
        return p;
    }

    private static String option(Hook h) {
        return switch (h) {
            case XDP -> "--xdp";
            case TC_INGRESS -> "--tc-ingress";
            case TC_EGRESS -> "--tc-egress";
        };
    }

    public SwitchConfig config() {
        return config;
    }

    /** The NIC ports by name, in ifindex order (without the host port). */
    public Map<String, Port> ports() {
        return java.util.Collections.unmodifiableMap(ports);
    }

    public Datapath datapath() {
        return datapath;
    }

    public RunFile runFile() {
        return runFile;
    }

    @Override
    public SwitchStats stats() {
        return stats.collect();
    }

    @Override
    public List<MapInfo> maps() {
        return registry.maps();
    }

    @Override
    public List<ProgramInfo> programs() {
        return registry.programs(p -> attached.getOrDefault(p, List.of()));
    }

    @Override
    public EbpfMap map(int id) {
        return registry.map(id);
    }

    @Override
    public synchronized void close() {
        if (runFile != null) {
            runFile.delete();
            runFile = null;
        }
        if (control != null) {
            control.close();
            control = null;
        }
        if (mtuWatch != null) {
            mtuWatch.close();
            mtuWatch = null;
        }
        if (datapath != null) {
            datapath.close();
            datapath = null;
        } else {
            // never started: the ports made so far still hold their buffer pools
            ports.values().forEach(Port::close);
            if (hostPort != null) {
                hostPort.close();
            }
        }
        objects.values().forEach(LoadedObject::close);
        objects.clear();
    }
}

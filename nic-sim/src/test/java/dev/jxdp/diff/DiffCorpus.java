package dev.jxdp.diff;

import dev.jxdp.exec.Engine;
import dev.jxdp.hooks.EdgeFrames;
import dev.jxdp.nic.port.pcap.PcapReader;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.testing.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the kernel diff tests run: every XDP and tc program of programs/bin (the two objects with
 * legacy maps through jxdp's linker, which libbpf refuses, the others through libbpf), on every capture of
 * pcap-corpus/ and on the edge-case frames ({@link EdgeFrames}: runts, 1500 and 9000 bytes, VLAN and
 * QinQ, IPv6 extension headers, IP options, bad checksums; the corpus adds IPv4 and IPv6 fragments).
 */
final class DiffCorpus {
    private DiffCorpus() {}

    /** One program of one object. */
    record Target(Path object, ObjectSpec spec, String program) {
        String label() {
            return object.getFileName() + ":" + program;
        }

        DiffReport diff(List<byte[]> packets, Engine engine) throws IOException {
            return DiffRunner.run(new DiffRunner.Request(object, spec, program, packets, Map.of(), engine, List.of()));
        }
    }

    static List<Target> targets() throws IOException {
        List<Target> out = new ArrayList<>();
        for (Path o : Repo.programObjects()) {
            ObjectSpec spec = ObjectLoader.load(o, LoadOptions.defaults());
            for (ProgramSpec p : spec.programs()) {
                if (p.type() == ProgramType.XDP || p.type() == ProgramType.SCHED_CLS || p.type() == ProgramType.SCHED_ACT) {
                    out.add(new Target(o, spec, p.name()));
                }
            }
        }
        return out;
    }

    /** Capture name to its packets, in order; "edge-frames" last. */
    static Map<String, List<byte[]>> captures() throws Exception {
        Map<String, List<byte[]>> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(Repo.root().resolve("pcap-corpus"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".pcap") || f.toString().endsWith(".pcapng")).sorted().toList()) {
                List<byte[]> packets = new ArrayList<>();
                try (PcapReader r = PcapReader.open(p)) {
                    for (byte[] b = r.nextBytes(); b != null; b = r.nextBytes()) {
                        packets.add(b);
                    }
                }
                out.put(p.getFileName().toString(), packets);
            }
        }
        out.put("edge-frames", List.copyOf(EdgeFrames.all().values()));
        return out;
    }
}

package dev.jxdp.verifier;

import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.LogLevel;
import dev.jxdp.kernel.ProgLoadException;
import dev.jxdp.kernel.ProgLoadRequest;
import dev.jxdp.kernel.ProgType;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ProgramType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's verdict on raw instructions: maps are created for the load (and closed after), the map
 * indexes of {@code BPF_PSEUDO_MAP_FD} / {@code BPF_PSEUDO_MAP_VALUE} loads replaced by their file
 * descriptors, and the program loaded with a level 1 log to learn why it is refused.
 */
record KernelVerdict(boolean accepted, String log) {

    /** The kernel's program type for a jxdp one. */
    static ProgType progType(ProgramType t) {
        return ProgType.of(t.id()).orElseThrow();
    }

    static KernelVerdict load(ProgramType type, byte[] insns, List<MapSpec> maps, String license) {
        List<BpfMap> created = new ArrayList<>();
        try {
            for (MapSpec m : maps) {
                dev.jxdp.kernel.MapType mt = dev.jxdp.kernel.MapType.of(m.type().id()).orElseThrow();
                created.add(Bpf.createMap(dev.jxdp.kernel.MapSpec.of(mt, m.keySize(), m.valueSize(), m.maxEntries())
                        .withFlags(m.flags()).withName(m.kernelName())));
            }
            byte[] code = insns.clone();
            ByteBuffer b = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
            for (int pc = 0; pc + 1 < code.length / 8; pc++) {
                int opcode = code[pc * 8] & 0xff;
                int src = (code[pc * 8 + 1] >> 4) & 0xf;
                if (opcode == 0x18 && (src == 1 || src == 2)) {
                    int idx = b.getInt(pc * 8 + 4);
                    if (idx >= 0 && idx < created.size()) {
                        b.putInt(pc * 8 + 4, created.get(idx).fd());
                    }
                    pc++;
                }
            }
            ProgLoadRequest req = ProgLoadRequest.of(progType(type), code).withLicense(license).withLogLevel(LogLevel.BASIC);
            try (BpfProgram p = Bpf.loadProgram(req)) {
                return new KernelVerdict(true, p.verifierLog());
            } catch (ProgLoadException e) {
                return new KernelVerdict(false, e.verifierLog());
            }
        } finally {
            created.forEach(BpfMap::close);
        }
    }

    /** Whether the kernel's log says what jxdp's first error line says. */
    boolean logContains(String jxdpFirstLine) {
        return log.contains(jxdpFirstLine);
    }
}

package dev.jxdp.perf;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.MapType;
import dev.jxdp.kernel.ProgLoadRequest;
import dev.jxdp.kernel.ProgType;
import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import java.util.ArrayList;
import java.util.List;

/**
 * One program of an object loaded into the kernel for a benchmark, from the same {@link ObjectSpec}
 * jxdp loads: the object's maps created empty with their definitions, the program's map references
 * (ld_imm64 BPF_PSEUDO_MAP_FD, imm = map index) pointed at them, then BPF_PROG_LOAD. Only what the
 * benchmarked objects need: XDP programs whose maps start empty (no global data, no .values), which
 * is refused by name otherwise rather than loaded differently from libbpf.
 */
final class KernelObject implements AutoCloseable {
    private final List<BpfMap> maps = new ArrayList<>();
    final BpfProgram program;

    KernelObject(ObjectSpec spec, String name) {
        ProgramSpec p = spec.programs().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(spec.file() + ": no program " + name));
        if (p.type() != ProgramType.XDP) {
            throw new IllegalArgumentException(spec.file() + ": " + name + " is no XDP program");
        }
        BpfProgram loaded = null;
        try {
            for (MapSpec m : spec.maps()) {
                if (!(m.contents() instanceof MapContents.Empty)) {
                    throw new IllegalArgumentException(spec.file() + ": map " + m.name()
                            + " has initial contents; load this object with bpftool prog loadall instead");
                }
                MapType t = MapType.of(m.type().id()).orElseThrow();
                maps.add(Bpf.createMap(new dev.jxdp.kernel.MapSpec(t, m.keySize(), m.valueSize(), m.maxEntries(), m.flags(),
                        m.name().length() > 15 ? m.name().substring(0, 15) : m.name(), 0, 0)));
            }
            List<Instruction> code = new ArrayList<>();
            p.code().forEach((insn, pc) -> code.add(insn instanceof LoadImm64 l && l.source() == PseudoSource.MAP_FD
                    ? new LoadImm64(l.dst(), PseudoSource.MAP_FD, maps.get(l.imm()).fd(), 0) : insn));
            loaded = Bpf.loadProgram(ProgLoadRequest.of(ProgType.XDP, Bytecode.of(code)).withLicense(p.license())
                    .withName(name.length() > 15 ? name.substring(0, 15) : name));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        program = loaded;
    }

    @Override
    public void close() {
        if (program != null) {
            program.close();
        }
        for (BpfMap m : maps) {
            m.close();
        }
    }
}

package dev.jxdp.diff;

import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.kernel.BpfProgram;
import dev.jxdp.kernel.ProgLoadRequest;
import dev.jxdp.kernel.ProgType;
import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapConvention;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One program of an object that libbpf refuses, loaded into the kernel from jxdp's own linking of
 * it: every map created with BPF_MAP_CREATE from jxdp's reading of the object, and the program as jxdp
 * linked it (its tag is bpftool's for every object libbpf does load, see KernelComparisonTest) loaded
 * with BPF_PROG_LOAD, its map references turned into the new maps' descriptors.
 *
 * <p>libbpf 1.x no longer reads legacy {@code struct bpf_map_def} and iproute2's {@code bpf_elf_map}
 * sections, so without this such objects could not be compared with the kernel at all. They have no
 * global data, prog arrays or map-in-maps in practice; one that does is refused with a message saying
 * so, rather than loaded with those maps empty.
 */
public final class JxdpLinkedObject implements AutoCloseable {
    private final BpfProgram program;
    private final Map<String, BpfMap> maps;

    private JxdpLinkedObject(BpfProgram program, Map<String, BpfMap> maps) {
        this.program = program;
        this.maps = maps;
    }

    /** True when libbpf refuses the object's maps, so that only this way loads it into the kernel. */
    public static boolean needed(ObjectSpec spec) {
        return spec.maps().stream().anyMatch(m -> m.origin() != null
                && (m.origin().convention() == MapConvention.LEGACY_MAP_DEF || m.origin().convention() == MapConvention.IPROUTE2_ELF_MAP));
    }

    /** Creates the object's maps and loads {@code chosen} into the kernel; everything is released on failure. */
    public static JxdpLinkedObject load(ObjectSpec spec, ProgramSpec chosen) {
        for (MapSpec m : spec.maps()) {
            if (!MapSnapshot.comparable(m.type()) || !(m.contents() instanceof MapContents.Empty)) {
                throw new IllegalArgumentException("the kernel side of " + chosen.name() + ": libbpf refuses the object's legacy maps, and"
                        + " loading it without libbpf is not there yet for a " + m.type().name().toLowerCase() + " map with contents or"
                        + " kernel objects (" + m.name() + ")");
            }
        }
        List<BpfMap> created = KernelMaps.create(spec.maps());
        try {
            ProgLoadRequest request = ProgLoadRequest.of(ProgType.valueOf(chosen.type().name()),
                            KernelMaps.withFds(chosen.code().toBytes(), created))
                    .withLicense(chosen.license()).withName(chosen.kernelName());
            if ((chosen.flags() & ProgramSpec.F_XDP_HAS_FRAGS) != 0) {
                request = request.withProgFlags(ProgLoadRequest.F_XDP_HAS_FRAGS);
            }
            Map<String, BpfMap> maps = new LinkedHashMap<>();
            for (int i = 0; i < created.size(); i++) {
                maps.put(spec.maps().get(i).name(), created.get(i));
            }
            return new JxdpLinkedObject(Bpf.loadProgram(request), maps);
        } catch (RuntimeException e) {
            created.forEach(BpfMap::close);
            throw e;
        }
    }

    public BpfProgram program() {
        return program;
    }

    /** The created maps by the object's map names, in the object's order. */
    public Map<String, BpfMap> maps() {
        return Collections.unmodifiableMap(maps);
    }

    @Override
    public void close() {
        maps.values().forEach(BpfMap::close);
        program.close();
    }
}

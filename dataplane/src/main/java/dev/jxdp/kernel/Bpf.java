package dev.jxdp.kernel;

import dev.jxdp.isa.Bytecode;
import java.lang.foreign.Arena;

/**
 * Entry point of the kernel backend: creates kernel objects. Each returned handle owns its file
 * descriptor; close it (try-with-resources) to free the object.
 */
public final class Bpf {
    private Bpf() {}

    /**
     * BPF_PROG_LOAD. A refusal throws {@link ProgLoadException} whose message starts with the
     * verifier's reason; other failures throw {@link BpfException}.
     */
    public static BpfProgram loadProgram(ProgLoadRequest request) {
        return ProgLoader.load(request);
    }

    /** BPF_PROG_LOAD of {@code code} with the defaults of {@link ProgLoadRequest#of}. */
    public static BpfProgram loadProgram(ProgType type, Bytecode code) {
        return loadProgram(ProgLoadRequest.of(type, code));
    }

    /** BPF_MAP_CREATE. */
    public static BpfMap createMap(MapSpec spec) {
        try (Arena arena = Arena.ofConfined()) {
            Struct attr = new Struct(arena, Layouts.MAP_CREATE)
                    .putInt("map_type", spec.type().code)
                    .putInt("key_size", spec.keySize())
                    .putInt("value_size", spec.valueSize())
                    .putInt("max_entries", spec.maxEntries())
                    .putInt("map_flags", spec.flags())
                    .putInt("inner_map_fd", spec.innerMapFd())
                    .putName("map_name", spec.name())
                    .putLong("map_extra", spec.mapExtra());
            return new BpfMap(BpfSyscall.check(BpfCommand.MAP_CREATE, attr), spec);
        }
    }
}

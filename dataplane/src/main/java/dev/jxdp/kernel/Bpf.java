package dev.jxdp.kernel;

import dev.jxdp.isa.Bytecode;
import java.lang.foreign.Arena;
import java.nio.file.Path;

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

    /**
     * BPF_OBJ_GET: a new descriptor for the program pinned at {@code pin} in a bpffs (as
     * {@code bpftool prog loadall} pins them), which the caller says is of {@code type}, named after
     * the pin's file name (bpftool pins each program under its name).
     */
    public static BpfProgram pinnedProgram(java.nio.file.Path pin, ProgType type) {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            Struct attr = new Struct(arena, Layouts.OBJ_PIN)
                    .putPointer("pathname", arena.allocateFrom(pin.toString()));
            fd = BpfSyscall.check(BpfCommand.OBJ_GET, attr);
        }
        return new BpfProgram(fd, type, pin.getFileName().toString(), "");
    }

    /**
     * BPF_OBJ_GET: a new descriptor for the map pinned at {@code pin}, which the caller says has the
     * shape of {@code spec} (its key and value sizes are what lookups and updates check).
     */
    public static BpfMap pinnedMap(java.nio.file.Path pin, MapSpec spec) {
        try (Arena arena = Arena.ofConfined()) {
            Struct attr = new Struct(arena, Layouts.OBJ_PIN)
                    .putPointer("pathname", arena.allocateFrom(pin.toString()));
            return new BpfMap(BpfSyscall.check(BpfCommand.OBJ_GET, attr), spec);
        }
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

    /**
     * BPF_OBJ_GET of a program pinned in a bpffs (as {@code bpftool prog loadall ... DIR} pins them):
     * a new descriptor for it; {@code type} and {@code name} are what the caller knows it to be.
     */
    public static BpfProgram openPinnedProgram(Path pin, ProgType type, String name) {
        return new BpfProgram(objGet(pin), type, name, "");
    }

    /**
     * BPF_OBJ_GET of a map pinned in a bpffs (bpftool's {@code pinmaps DIR}); {@code spec} must describe
     * it (its sizes decide the buffers of lookups and updates).
     */
    public static BpfMap openPinnedMap(Path pin, MapSpec spec) {
        return new BpfMap(objGet(pin), spec);
    }

    private static int objGet(Path pin) {
        try (Arena arena = Arena.ofConfined()) {
            Struct attr = new Struct(arena, Layouts.OBJ_GET).putPointer("pathname", arena.allocateFrom(pin.toString()));
            return BpfSyscall.check(BpfCommand.OBJ_GET, attr);
        }
    }
}

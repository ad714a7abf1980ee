package dev.jxdp.obj;

import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfExt;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an object file says, resolved and linked but not loaded anywhere: the {@code CollectionSpec}
 * of cilium/ebpf, libbpf's {@code bpf_object} after open and relocation. Immutable.
 *
 * @param file the file name given to the loader (used in messages)
 * @param name the object name as libbpf derives it (file name up to its first dot), which prefixes
 *     global data map names
 * @param license the {@code license} section's string ("" without one)
 * @param kernelVersion the {@code version} section's u32 (LINUX_VERSION_CODE for old kprobe loaders), if any
 * @param programs loadable programs in section order, then symbol order within a section
 * @param maps BTF-defined or legacy maps first (in definition order), then global data maps in
 *     section order, as libbpf orders them; programs refer to maps by index into this list
 * @param btf the object's .BTF, or null
 * @param btfExt the object's .BTF.ext, or null
 */
public record ObjectSpec(
        String file,
        String name,
        String license,
        OptionalInt kernelVersion,
        List<ProgramSpec> programs,
        List<MapSpec> maps,
        Btf btf,
        BtfExt btfExt) {

    public ObjectSpec {
        programs = List.copyOf(programs);
        maps = List.copyOf(maps);
    }

    public Optional<ProgramSpec> program(String programName) {
        return programs.stream().filter(p -> p.name().equals(programName)).findFirst();
    }

    public Optional<MapSpec> map(String mapName) {
        return maps.stream().filter(m -> m.name().equals(mapName)).findFirst();
    }

    /** Index of a map in {@link #maps()}, or -1. */
    public int mapIndex(String mapName) {
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).name().equals(mapName)) {
                return i;
            }
        }
        return -1;
    }

    public boolean gplCompatible() {
        return License.isGplCompatible(license);
    }
}

package dev.jxdp.control;

import dev.jxdp.load.LoadedObject;
import dev.jxdp.load.LoadedProgram;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.maps.MapOfMaps;
import dev.jxdp.maps.ProgArray;
import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The maps and programs of the objects a switch loaded, numbered across objects in load order (map
 * ids as the kernel gives them: one sequence for the whole instance), for the control endpoint.
 */
public final class MapRegistry {
    private record Entry(int id, EbpfMap map, MapSpec spec, LoadedObject object, Path file) {}

    private final List<Entry> maps = new ArrayList<>();
    private final List<LoadedObject> objects = new ArrayList<>();
    private final Map<LoadedObject, Path> files = new ConcurrentHashMap<>();

    /** Adds the maps of an object loaded from {@code file}. */
    public synchronized void add(Path file, LoadedObject object) {
        objects.add(object);
        files.put(object, file.toAbsolutePath().normalize());
        for (EbpfMap m : object.maps()) {
            MapSpec s = m.id() < object.spec().maps().size() ? object.spec().maps().get(m.id()) : null;
            maps.add(new Entry(maps.size(), m, s, object, files.get(object)));
        }
    }

    public synchronized EbpfMap map(int id) {
        return id >= 0 && id < maps.size() ? maps.get(id).map() : null;
    }

    public synchronized List<MapInfo> maps() {
        List<MapInfo> out = new ArrayList<>();
        for (Entry e : maps) {
            EbpfMap m = e.map();
            boolean btf = e.spec() != null && e.object().spec().btf() != null && createdWithBtf(e.spec());
            out.add(new MapInfo(e.id(), m.id(), m.name(), m.type().name(), m.keySize(), m.valueSize(), m.maxEntries(), m.flags(),
                    m.definition().perCpu(), m.workers(), m.userValueSize(), m.definition().valueStride(), m instanceof MapOfMaps,
                    m instanceof ProgArray, e.file().toString(), btf ? e.spec().origin().btfKeyTypeId() : 0,
                    btf ? e.spec().origin().btfValueTypeId() : 0));
        }
        return out;
    }

    /** The programs of every object, with where {@code attachedTo} says each is attached. */
    public synchronized List<ProgramInfo> programs(Function<LoadedProgram, List<String>> attachedTo) {
        List<ProgramInfo> out = new ArrayList<>();
        for (LoadedObject o : objects) {
            for (LoadedProgram p : o.programs()) {
                out.add(new ProgramInfo(p.id(), p.name(), p.type().name(), files.get(o).toString(), attachedTo.apply(p)));
            }
        }
        return out;
    }

    /**
     * Whether libbpf creates the map with BTF, so that bpftool formats its entries: not the types it
     * creates without (bpf_object__create_map), not maps whose values are slots ({@code .values}).
     */
    public static boolean createdWithBtf(MapSpec s) {
        if (s.origin() == null || s.origin().btfValueTypeId() <= 0 || s.contents() instanceof MapContents.Slots) {
            return false;
        }
        return switch (s.type()) {
            case PERF_EVENT_ARRAY, CGROUP_ARRAY, STACK_TRACE, ARRAY_OF_MAPS, HASH_OF_MAPS, DEVMAP, DEVMAP_HASH, CPUMAP,
                    XSKMAP, SOCKMAP, SOCKHASH, QUEUE, STACK, ARENA, RINGBUF -> false;
            default -> true;
        };
    }
}

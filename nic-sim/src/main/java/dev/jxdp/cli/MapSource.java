package dev.jxdp.cli;

import dev.jxdp.exec.Interpreter;
import dev.jxdp.load.LoadedObject;
import dev.jxdp.maps.EbpfMap;
import dev.jxdp.obj.ElfFile;
import dev.jxdp.obj.ElfSection;
import dev.jxdp.obj.ElfSymbol;
import dev.jxdp.obj.MapContents;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import java.util.List;

/**
 * Where the map commands find maps. Now: an object file, loaded for its maps only, so that a dump shows
 * the maps' initial state (global data, prog array and map-in-map slots) and an update or delete acts
 * on that fresh copy. Or a running {@code jxdp switch}, through its control endpoint ({@link RemoteMapSource});
 * the commands only use {@link #map} and {@link #programId}/{@link #mapId}.
 */
interface MapSource extends AutoCloseable {

    /** The map named by bpftool's MAP ({@code id N}, {@code name NAME}, or a bare name). */
    MapAccess map(List<String> selector);

    /** The id of the program named by bpftool's PROG ({@code id N} or {@code name NAME}), for prog array values. */
    int programId(List<String> selector);

    /** The id of the map named by MAP, for map-in-map values. */
    int mapId(List<String> selector);

    /** Every map, in id order. */
    List<MapAccess> all();

    @Override
    void close();

    /**
     * The maps there are, for a "no map" error: {@code maps: a, b}, or that there are none, rather than
     * an empty list ("maps: ") that reads as a fault of the message.
     *
     * @param holder what holds them (object, instance)
     */
    static String names(List<String> names, String holder) {
        return names.isEmpty() ? "the " + holder + " has no maps" : "maps: " + String.join(", ", names);
    }

    /** The maps of an object file ({@code elf} for the global variables' offsets). */
    static MapSource object(ObjectSpec spec, ElfFile elf) {
        LoadedObject o = LoadedObject.load(spec, LoadedObject.Options.defaults().withEngine(new Interpreter()).withoutPrograms());
        return loaded(o, spec, elf, true);
    }

    /**
     * The maps of an object already loaded (a replay's, after the run); {@link #close} closes the
     * object only if {@code owned}.
     */
    static MapSource loaded(LoadedObject o, ObjectSpec spec, ElfFile elf, boolean owned) {
        BtfDumper.VarOffsets offsets = varOffsets(elf);
        return new MapSource() {
            @Override
            public MapAccess map(List<String> selector) {
                EbpfMap m = find(selector);
                MapSpec s = m.id() < spec.maps().size() ? spec.maps().get(m.id()) : null;
                boolean typed = s != null && spec.btf() != null && withBtf(s);
                return new MapAccess(LiveMap.local(m), typed ? spec.btf() : null, typed ? s.origin().btfKeyTypeId() : 0,
                        typed ? s.origin().btfValueTypeId() : 0, offsets, this);
            }

            private EbpfMap find(List<String> selector) {
                String how = selector.get(0);
                if (how.equals("id")) {
                    EbpfMap m = o.mapTable().get(parseId(selector.get(1), "map"));
                    if (m == null) {
                        throw new IllegalArgumentException("no map with id " + selector.get(1) + " in " + spec.file()
                                + " (ids 0 to " + (o.maps().size() - 1) + ")");
                    }
                    return m;
                }
                String name = how.equals("name") ? selector.get(1) : how;
                List<EbpfMap> named = o.maps().stream().filter(m -> m.name().equals(name) || m.definition().name().equals(name)
                        || MapSpec.kernelName(m.name()).equals(name)).toList();
                if (named.isEmpty()) {
                    throw new IllegalArgumentException("no map '" + name + "' in " + spec.file() + " ("
                            + names(o.maps().stream().map(EbpfMap::name).toList(), "object") + ")");
                }
                return named.getFirst();
            }

            @Override
            public int programId(List<String> selector) {
                if (selector.get(0).equals("id")) {
                    int id = parseId(selector.get(1), "program");
                    if (id < 0 || id >= spec.programs().size()) {
                        throw new IllegalArgumentException("no program with id " + id + " in " + spec.file());
                    }
                    return id;
                }
                String name = selector.get(0).equals("name") ? selector.get(1) : selector.get(0);
                for (int i = 0; i < spec.programs().size(); i++) {
                    if (spec.programs().get(i).name().equals(name)) {
                        return i;
                    }
                }
                throw new IllegalArgumentException("no program '" + name + "' in " + spec.file());
            }

            @Override
            public int mapId(List<String> selector) {
                return find(selector).id();
            }

            @Override
            public List<MapAccess> all() {
                return o.maps().stream().map(m -> map(List.of("id", Integer.toString(m.id())))).toList();
            }

            @Override
            public void close() {
                if (owned) {
                    o.close();
                }
            }
        };
    }

    /** Where the global variables of {@code elf} are: BTF's offsets for static ones, the ELF symbols' for the rest. */
    static BtfDumper.VarOffsets varOffsets(ElfFile elf) {
        return (section, var, btfOffset) -> {
            if (var.linkage() == 0) {
                return btfOffset; // static variables' offsets are right already
            }
            for (ElfSection s : elf.sections()) {
                if (s.name().equals(section)) {
                    for (ElfSymbol sym : elf.symbolsIn(s)) {
                        if (sym.name().equals(var.name())) {
                            return sym.value();
                        }
                    }
                }
            }
            return btfOffset;
        };
    }

    /** Whether libbpf creates the map with BTF, so that bpftool formats it ({@link dev.jxdp.control.MapRegistry#createdWithBtf}). */
    static boolean withBtf(MapSpec s) {
        return dev.jxdp.control.MapRegistry.createdWithBtf(s);
    }

    private static int parseId(String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " id '" + text + "' is not a number");
        }
    }
}

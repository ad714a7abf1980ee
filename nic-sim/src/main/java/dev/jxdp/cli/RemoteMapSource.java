package dev.jxdp.cli;

import dev.jxdp.control.ControlClient;
import dev.jxdp.control.MapInfo;
import dev.jxdp.control.MapReply;
import dev.jxdp.control.MapRequest;
import dev.jxdp.control.ProgramInfo;
import dev.jxdp.obj.ElfFile;
import dev.jxdp.obj.ElfSection;
import dev.jxdp.obj.MapType;
import dev.jxdp.obj.btf.Btf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The maps of a running {@code jxdp switch} ({@code --instance NAME}): shapes from {@code GET /maps},
 * every operation a request to the control endpoint, so that the commands act on the maps the
 * switch's programs use while packets flow. The BTF that formats entries comes from the object file
 * the switch loaded, read here.
 */
final class RemoteMapSource implements MapSource {
    private static final HexFormat HEX = HexFormat.of();
    private final ControlClient client;
    private final List<MapInfo> maps;
    private final Map<String, ElfFile> elves = new HashMap<>();
    private final Map<String, Btf> btfs = new HashMap<>();

    RemoteMapSource(ControlClient client) {
        this.client = client;
        this.maps = client.maps();
    }

    @Override
    public MapAccess map(List<String> selector) {
        MapInfo info = find(selector);
        boolean typed = info.btfValueTypeId() > 0;
        Btf btf = typed ? btf(info.object()) : null;
        return new MapAccess(new Remote(info), btf, typed ? info.btfKeyTypeId() : 0, typed ? info.btfValueTypeId() : 0,
                typed ? MapSource.varOffsets(elf(info.object())) : null, this);
    }

    private MapInfo find(List<String> selector) {
        String where = "jxdp instance '" + client.instance().name() + "'";
        if (selector.get(0).equals("id")) {
            int id;
            try {
                id = Integer.parseInt(selector.get(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("map id '" + selector.get(1) + "' is not a number");
            }
            return maps.stream().filter(m -> m.id() == id).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no map with id " + id + " in " + where));
        }
        String name = selector.get(0).equals("name") ? selector.get(1) : selector.get(0);
        List<MapInfo> named = maps.stream().filter(m -> m.name().equals(name)).toList();
        if (named.isEmpty()) {
            throw new IllegalArgumentException("no map '" + name + "' in " + where + " ("
                    + MapSource.names(maps.stream().map(MapInfo::name).toList(), "instance") + ")");
        }
        if (named.size() > 1) {
            // bpftool: "several maps match this handle" and it acts on all; one map per command here.
            throw new IllegalArgumentException("several maps named '" + name + "' in " + where + " (ids "
                    + String.join(", ", named.stream().map(m -> Integer.toString(m.id())).toList()) + "): use id N");
        }
        return named.getFirst();
    }

    @Override
    public int programId(List<String> selector) {
        List<ProgramInfo> programs = client.programs();
        String name = selector.get(0).equals("name") ? selector.get(1) : selector.get(0);
        if (selector.get(0).equals("id")) {
            return Integer.parseInt(selector.get(1));
        }
        return programs.stream().filter(p -> p.name().equals(name)).findFirst().map(ProgramInfo::localId)
                .orElseThrow(() -> new IllegalArgumentException("no program '" + name + "' in jxdp instance '" + client.instance().name() + "'"));
    }

    @Override
    public int mapId(List<String> selector) {
        return find(selector).localId();
    }

    @Override
    public List<MapAccess> all() {
        return maps.stream().map(m -> map(List.of("id", Integer.toString(m.id())))).toList();
    }

    @Override
    public void close() {}

    private ElfFile elf(String object) {
        return elves.computeIfAbsent(object, f -> {
            try {
                return ElfFile.parse(f, Files.readAllBytes(Path.of(f)));
            } catch (IOException e) {
                throw new UncheckedIOException("reading the BTF of " + f + " (loaded by the switch): " + e.getMessage(), e);
            }
        });
    }

    private Btf btf(String object) {
        return btfs.computeIfAbsent(object, f -> {
            ElfFile elf = elf(f);
            ElfSection s = elf.section(".BTF").orElseThrow(() -> new IllegalStateException(f + " has no .BTF section any more"));
            return Btf.parse(f, ".BTF", s.offset(), elf.contents(s));
        });
    }

    /** One map of the switch; each operation is one request. */
    private final class Remote implements LiveMap {
        private final MapInfo info;

        Remote(MapInfo info) {
            this.info = info;
        }

        @Override
        public String name() {
            return info.name();
        }

        @Override
        public MapType type() {
            return MapType.valueOf(info.type());
        }

        @Override
        public int keySize() {
            return info.keySize();
        }

        @Override
        public int valueSize() {
            return info.valueSize();
        }

        @Override
        public boolean perCpu() {
            return info.perCpu();
        }

        @Override
        public int cpus() {
            return info.cpus();
        }

        @Override
        public int userValueSize() {
            return info.userValueSize();
        }

        @Override
        public int valueStride() {
            return info.valueStride();
        }

        @Override
        public boolean mapOfMaps() {
            return info.mapOfMaps();
        }

        @Override
        public boolean progArray() {
            return info.progArray();
        }

        private MapReply call(String op, byte[] key, byte[] value, long flags) {
            return client.map(info.id(), op, new MapRequest(key == null ? null : HEX.formatHex(key),
                    value == null ? null : HEX.formatHex(value), flags));
        }

        private static Optional<byte[]> value(MapReply r) {
            return r.found() ? Optional.of(r.value() == null ? new byte[0] : HEX.parseHex(r.value())) : Optional.empty();
        }

        @Override
        public Optional<byte[]> lookup(byte[] key) {
            return value(call("lookup", key, null, 0));
        }

        @Override
        public void update(byte[] key, byte[] value, long flags) {
            call("update", key, value, flags);
        }

        @Override
        public boolean delete(byte[] key) {
            return call("delete", key, null, 0).found();
        }

        @Override
        public Optional<byte[]> nextKey(byte[] key) {
            MapReply r = call("next_key", key, null, 0);
            return r.found() ? Optional.of(HEX.parseHex(r.key())) : Optional.empty();
        }

        @Override
        public Optional<byte[]> lookupAndDelete(byte[] key) {
            return value(call("lookup_and_delete", key, null, 0));
        }
    }
}

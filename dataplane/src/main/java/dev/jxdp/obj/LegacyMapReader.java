package dev.jxdp.obj;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Maps defined as structs in section {@code maps}, the convention before BTF. Each symbol in the
 * section names one definition; all definitions have the same size, the section's size divided by
 * their number (libbpf before 1.0 worked it out the same way). That size tells the two layouts apart:
 *
 * <ul>
 *   <li>36 bytes: iproute2's {@code struct bpf_elf_map} {type, size_key, size_value, max_elem, flags,
 *       id, pinning, inner_id, inner_idx} (include/bpf_elf.h), used by {@code tc} objects;</li>
 *   <li>any other size of at least 4 bytes: {@code struct bpf_map_def} {type, key_size, value_size,
 *       max_entries, map_flags} (20 bytes), shorter definitions read as if zero-padded, longer ones
 *       only when the extra bytes are zero (as libbpf before 1.0 required).</li>
 * </ul>
 *
 * libbpf 1.0 dropped this convention ("legacy map definitions in 'maps' section are not supported by
 * libbpf v1.0+"), and iproute2 built on it refuses it too; jxdp still reads it.
 */
final class LegacyMapReader {
    private LegacyMapReader() {}

    static final int MAP_DEF_SIZE = 20;
    static final int ELF_MAP_SIZE = 36;

    static void read(LoadContext ctx, ElfSection section, MapDefinitions maps) {
        List<ElfSymbol> symbols = new ArrayList<>();
        for (ElfSymbol s : ctx.elf.symbols()) {
            if (s.sectionIndex() == section.index() && !s.isSection() && s.type() != ElfSymbol.STT_FILE && !s.name().isEmpty()) {
                symbols.add(s);
            }
        }
        symbols.sort(Comparator.comparingLong(ElfSymbol::value));
        if (symbols.isEmpty()) {
            if (section.size() != 0) {
                throw ctx.format(section, 0, "section 'maps' has " + section.size() + " bytes but no symbols naming its map definitions");
            }
            return;
        }
        if (!section.hasFileData()) {
            throw ctx.format(section, 0, "section 'maps' has no data");
        }
        long defSize = section.size() / symbols.size();
        if (section.size() % symbols.size() != 0 || defSize < 4) {
            throw ctx.format(section, 0, "cannot tell the size of a map definition: " + section.size() + " bytes for "
                    + symbols.size() + " maps");
        }
        boolean iproute2 = defSize == ELF_MAP_SIZE;
        byte[] data = ctx.elf.contents(section);
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (ElfSymbol sym : symbols) {
            long at = sym.value();
            if (at < 0 || at % defSize != 0 || at + defSize > data.length) {
                throw ctx.format(section, Math.max(0, Math.min(at, data.length)), "map '" + sym.name() + "' at offset " + at
                        + " is not one of the section's " + defSize + "-byte definitions");
            }
            if (sym.size() != 0 && sym.size() != defSize) {
                throw ctx.format(section, at, "map '" + sym.name() + "' has symbol size " + sym.size()
                        + " but the section's definitions are " + defSize + " bytes");
            }
            long[] f = new long[9];
            for (int i = 0; i < 9 && i * 4 + 4 <= defSize; i++) {
                f[i] = Integer.toUnsignedLong(in.getInt((int) at + i * 4));
            }
            if (!iproute2) {
                for (long b = at + MAP_DEF_SIZE; b < at + defSize; b++) {
                    if (data[(int) b] != 0) {
                        throw ctx.unsupported(section, b, "map '" + sym.name() + "': unrecognized non-zero options in a "
                                + defSize + "-byte map definition (struct bpf_map_def has " + MAP_DEF_SIZE + " bytes)");
                    }
                }
            }
            MapType type = MapType.ofId(f[0]);
            if (type == null || type == MapType.UNSPEC) {
                throw ctx.unsupported(section, at, "map '" + sym.name() + "': unsupported map type " + f[0]
                        + " (the kernel's enum bpf_map_type ends at " + (MapType.values().length - 1) + ")");
            }
            MapSpec.ElfMapIds ids = iproute2 ? new MapSpec.ElfMapIds((int) f[5], (int) f[7], (int) f[8]) : null;
            MapSpec spec = new MapSpec(sym.name(), type, (int) f[1], (int) f[2], (int) f[3], (int) f[4], 0,
                    iproute2 ? (int) f[6] : 0, 0, null, new MapContents.Empty(),
                    new MapSpec.MapOrigin(iproute2 ? MapConvention.IPROUTE2_ELF_MAP : MapConvention.LEGACY_MAP_DEF,
                            section.name(), ctx.fileOffset(section, at), 0, 0, ids));
            if (maps.indexAt(section.index(), at) >= 0) {
                throw ctx.format(section, at, "two symbols name the map definition at offset " + at);
            }
            maps.add(spec, section, at);
        }
        if (iproute2) {
            linkInnerMaps(ctx, section, maps);
        }
    }

    /**
     * iproute2's map-in-map: an outer map's inner_id names the id of its inner template; every map
     * with that id (and no inner_id of its own) goes into slot inner_idx of the outer map, unless
     * inner_idx is 0xffffffff.
     */
    private static void linkInnerMaps(LoadContext ctx, ElfSection section, MapDefinitions maps) {
        List<MapDefinitions.Entry> elfMaps = maps.entries.stream()
                .filter(e -> e.section.index() == section.index()).toList();
        for (MapDefinitions.Entry outer : elfMaps) {
            MapSpec.ElfMapIds ids = outer.spec.origin().elfMapIds();
            if (ids.innerId() == 0) {
                continue;
            }
            if (!outer.spec.type().isMapInMap()) {
                throw ctx.format(section, outer.offset, "map '" + outer.spec.name() + "' has inner_id " + Integer.toUnsignedString(ids.innerId())
                        + " but is not a map-in-map");
            }
            MapDefinitions.Entry template = null;
            java.util.SortedMap<Integer, String> slots = new java.util.TreeMap<>();
            for (MapDefinitions.Entry e : elfMaps) {
                MapSpec.ElfMapIds other = e.spec.origin().elfMapIds();
                if (e == outer || other.id() != ids.innerId() || other.innerId() != 0) {
                    continue;
                }
                if (template == null) {
                    template = e;
                }
                if (other.innerIdx() != -1) {
                    if (Integer.toUnsignedLong(other.innerIdx()) >= Integer.toUnsignedLong(outer.spec.maxEntries())) {
                        throw ctx.format(section, e.offset, "map '" + e.spec.name() + "': inner_idx " + Integer.toUnsignedString(other.innerIdx())
                                + " is beyond max_elem of its outer map '" + outer.spec.name() + "'");
                    }
                    slots.put(other.innerIdx(), e.spec.name());
                }
            }
            if (template == null) {
                throw ctx.format(section, outer.offset, "map '" + outer.spec.name() + "': no map has id " + Integer.toUnsignedString(ids.innerId())
                        + ", its inner_id");
            }
            MapSpec spec = outer.spec.withInner(template.spec);
            outer.spec = slots.isEmpty() ? spec : spec.withContents(new MapContents.Slots(slots));
        }
    }
}

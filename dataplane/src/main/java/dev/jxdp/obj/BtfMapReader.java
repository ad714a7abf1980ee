package dev.jxdp.obj;

import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfType;

/**
 * libbpf's BTF-defined maps: every variable of section {@code .maps} is a map named like the variable,
 * whose type is an anonymous struct encoding the definition (tools/lib/bpf/bpf_helpers.h):
 * {@code __uint(name, N)} is a member {@code int (*name)[N]} whose array length is the value,
 * {@code __type(name, T)} a member {@code T *name} whose pointee is the key or value type, and
 * {@code __array(values, struct inner)} a last, zero-length array of pointers to the inner map
 * definition (map-in-map) or to a function prototype (prog array), whose initial slots come from
 * relocations of the section. Unknown members are refused, as libbpf does by default.
 */
final class BtfMapReader {
    private BtfMapReader() {}

    static void read(LoadContext ctx, ElfSection section, MapDefinitions maps) {
        if (ctx.btf == null) {
            throw ctx.format(section, 0, "BTF-defined maps in '.maps' need the object's .BTF section, which is missing");
        }
        DatasecLayout layout;
        try {
            layout = DatasecLayout.of(ctx, section);
        } catch (IllegalArgumentException e) {
            throw ctx.btfProblem(section, 0, "BTF DATASEC '.maps'", e);
        }
        if (layout == null) {
            throw ctx.format(section, 0, "no BTF DATASEC describes section '.maps'");
        }
        int slotRelocations = 0;
        for (DatasecLayout.Var var : layout.vars()) {
            Definition d;
            try {
                d = parse(ctx, section, var.offset(), var.name(), var.typeId(), false);
            } catch (IllegalArgumentException e) {
                throw ctx.btfProblem(section, var.offset(), "map '" + var.name() + "'", e);
            }
            long fileOffset = ctx.fileOffset(section, var.offset());
            MapSpec inner = d.innerDefinition == null ? null : d.innerDefinition.toSpec(var.name() + ".inner", section, fileOffset, null);
            int index = maps.add(d.toSpec(var.name(), section, fileOffset, inner), section, var.offset());
            if (d.valuesMemberOffset >= 0) {
                slotRelocations += collectSlots(ctx, section, var, d, maps.entries.get(index));
            }
        }
        if (slotRelocations != ctx.relocationsOf(section).size()) {
            for (long off : ctx.relocationsOf(section).keySet()) {
                if (layout.varAt(off) == null) {
                    throw ctx.format(section, off, "relocation in '.maps' that belongs to no map's 'values'");
                }
            }
            throw ctx.format(section, 0, "relocations in '.maps' outside the 'values' of their maps");
        }
    }

    /** The fields of one definition struct. */
    private static final class Definition {
        MapType type;
        long keySize = -1;
        long valueSize = -1;
        long maxEntries;
        long flags;
        long numaNode;
        long pinning;
        long mapExtra;
        int keyTypeId;
        int valueTypeId;
        Definition innerDefinition;
        long valuesMemberOffset = -1;
        boolean isProgArray;

        MapSpec toSpec(String name, ElfSection section, long fileOffset, MapSpec inner) {
            return new MapSpec(name, type, (int) Math.max(0, keySize), (int) Math.max(0, valueSize), (int) maxEntries,
                    (int) flags, (int) numaNode, (int) pinning, mapExtra, inner, new MapContents.Empty(),
                    new MapSpec.MapOrigin(MapConvention.BTF_MAPS, section.name(), fileOffset, keyTypeId, valueTypeId, null));
        }
    }

    private static Definition parse(LoadContext ctx, ElfSection section, long at, String mapName, int typeId, boolean inner) {
        Btf btf = ctx.btf;
        int structId = btf.skipAliases(typeId);
        if (structId == 0 || !(btf.type(structId) instanceof BtfType.Struct st) || st.union()) {
            throw ctx.format(section, at, "map '" + mapName + "': definition type [" + typeId + "] is not a struct");
        }
        Definition d = new Definition();
        for (int i = 0; i < st.members().size(); i++) {
            BtfType.Member m = st.members().get(i);
            String field = m.name();
            switch (field) {
                case "type" -> {
                    long t = uint(ctx, section, at, mapName, m);
                    d.type = MapType.ofId(t);
                    if (d.type == null || d.type == MapType.UNSPEC) {
                        throw ctx.unsupported(section, at, "map '" + mapName + "': unsupported map type " + t
                                + " (the kernel's enum bpf_map_type ends at " + (MapType.values().length - 1) + ")");
                    }
                }
                case "max_entries" -> d.maxEntries = uint(ctx, section, at, mapName, m);
                case "map_flags" -> d.flags = uint(ctx, section, at, mapName, m);
                case "numa_node" -> d.numaNode = uint(ctx, section, at, mapName, m);
                case "pinning" -> {
                    d.pinning = uint(ctx, section, at, mapName, m);
                    if (d.pinning > 1) {
                        throw ctx.format(section, at, "map '" + mapName + "': invalid pinning value " + d.pinning
                                + " (libbpf knows 0, LIBBPF_PIN_NONE, and 1, LIBBPF_PIN_BY_NAME)");
                    }
                }
                case "map_extra" -> d.mapExtra = uint(ctx, section, at, mapName, m);
                case "key_size" -> d.keySize = checkSize(ctx, section, at, mapName, "key", d.keySize, uint(ctx, section, at, mapName, m));
                case "value_size" -> d.valueSize = checkSize(ctx, section, at, mapName, "value", d.valueSize, uint(ctx, section, at, mapName, m));
                case "key" -> {
                    int pointee = pointee(ctx, section, at, mapName, m);
                    d.keySize = checkSize(ctx, section, at, mapName, "key", d.keySize, sizeOf(ctx, section, at, mapName, "key", pointee));
                    d.keyTypeId = pointee;
                }
                case "value" -> {
                    int pointee = pointee(ctx, section, at, mapName, m);
                    d.valueSize = checkSize(ctx, section, at, mapName, "value", d.valueSize, sizeOf(ctx, section, at, mapName, "value", pointee));
                    d.valueTypeId = pointee;
                }
                case "values" -> {
                    if (inner) {
                        throw ctx.unsupported(section, at, "map '" + mapName + "': multi-level inner maps are not supported (libbpf does not support them either)");
                    }
                    if (i != st.members().size() - 1) {
                        throw ctx.format(section, at, "map '" + mapName + "': 'values' must be the last member");
                    }
                    boolean mapInMap = d.type != null && d.type.isMapInMap();
                    boolean progArray = d.type == MapType.PROG_ARRAY;
                    if (!mapInMap && !progArray) {
                        throw ctx.format(section, at, "map '" + mapName + "': 'values' needs a map-in-map or prog array type (declare type before values)");
                    }
                    d.valueSize = checkSize(ctx, section, at, mapName, "value", d.valueSize, 4);
                    if (m.type() == 0 || !(btf.type(m.type()) instanceof BtfType.Array arr) || arr.length() != 0) {
                        throw ctx.format(section, at, "map '" + mapName + "': 'values' must be a zero-length array");
                    }
                    int elem = btf.skipAliases(arr.elementType());
                    if (elem == 0 || !(btf.type(elem) instanceof BtfType.Ptr p)) {
                        throw ctx.format(section, at, "map '" + mapName + "': 'values' must be an array of pointers");
                    }
                    int target = btf.skipAliases(p.type());
                    if (progArray) {
                        if (target == 0 || !(btf.type(target) instanceof BtfType.FuncProto)) {
                            throw ctx.format(section, at, "map '" + mapName + "': prog array 'values' must point to function prototypes");
                        }
                        d.isProgArray = true;
                    } else {
                        if (target == 0 || !(btf.type(target) instanceof BtfType.Struct)) {
                            throw ctx.format(section, at, "map '" + mapName + "': map-in-map 'values' must point to a map definition struct");
                        }
                        d.innerDefinition = parse(ctx, section, at, mapName + ".inner", target, true);
                    }
                    d.valuesMemberOffset = m.bitOffset() / 8;
                }
                default -> throw ctx.format(section, at, "map '" + mapName + "': unknown field '" + field
                        + "' (libbpf knows type, key, value, key_size, value_size, max_entries, map_flags, numa_node, pinning, map_extra, values)");
            }
        }
        if (d.type == null) {
            throw ctx.format(section, at, "map '" + mapName + "': no map type (missing __uint(type, ...))");
        }
        if (d.type.isMapInMap() && d.innerDefinition == null && !inner) {
            // libbpf accepts this and needs the inner map from the user (bpf_map__set_inner_map_fd).
            d.valueSize = checkSize(ctx, section, at, mapName, "value", d.valueSize, 4);
        }
        return d;
    }

    private static long checkSize(LoadContext ctx, ElfSection section, long at, String mapName, String what, long old, long size) {
        if (size > 0xffffffffL) {
            throw ctx.format(section, at, "map '" + mapName + "': " + what + " size " + size + " does not fit 32 bits");
        }
        if (old >= 0 && old != size) {
            throw ctx.format(section, at, "map '" + mapName + "': conflicting " + what + " size " + old + " != " + size);
        }
        return size;
    }

    private static long sizeOf(LoadContext ctx, ElfSection section, long at, String mapName, String what, int typeId) {
        long size = ctx.btf.sizeOf(typeId);
        if (size < 0) {
            throw ctx.format(section, at, "map '" + mapName + "': " + what + " type [" + typeId + "] has no size");
        }
        return size;
    }

    /** {@code __uint(name, N)}: a pointer to an array of N elements (or, for newer __ulong, to an enum of one value N). */
    private static long uint(LoadContext ctx, ElfSection section, long at, String mapName, BtfType.Member m) {
        Btf btf = ctx.btf;
        int ptr = btf.skipAliases(m.type());
        if (ptr == 0 || !(btf.type(ptr) instanceof BtfType.Ptr p)) {
            throw ctx.format(section, at, "map '" + mapName + "': attribute '" + m.name() + "' must be a pointer (__uint)");
        }
        int target = p.type() == 0 ? 0 : btf.skipAliases(p.type());
        if (target != 0 && btf.type(target) instanceof BtfType.Array a) {
            return Integer.toUnsignedLong(a.length());
        }
        if (target != 0 && btf.type(target) instanceof BtfType.Enum e && e.values().size() == 1) {
            return e.values().getFirst().value();
        }
        throw ctx.format(section, at, "map '" + mapName + "': attribute '" + m.name() + "' must point to an array (__uint)");
    }

    private static int pointee(LoadContext ctx, ElfSection section, long at, String mapName, BtfType.Member m) {
        Btf btf = ctx.btf;
        if (m.type() == 0 || !(btf.type(m.type()) instanceof BtfType.Ptr p)) {
            throw ctx.format(section, at, "map '" + mapName + "': '" + m.name() + "' must be a pointer (__type)");
        }
        return p.type();
    }

    /** Relocations of the map's 'values' member: slot index to the symbol (a program or a map). */
    private static int collectSlots(LoadContext ctx, ElfSection section, DatasecLayout.Var var, Definition d, MapDefinitions.Entry entry) {
        int count = 0;
        long start = var.offset() + d.valuesMemberOffset;
        long end = var.offset() + var.size();
        for (var e : ctx.relocationsOf(section).entrySet()) {
            long off = e.getKey();
            if (off < var.offset() || off >= end) {
                continue;
            }
            if (off < start || (off - start) % 8 != 0) {
                throw ctx.format(section, off, "map '" + var.name() + "': relocation outside its 'values' slots");
            }
            long slot = (off - start) / 8;
            if (slot >= Integer.toUnsignedLong(entry.spec.maxEntries())) {
                throw ctx.format(section, off, "map '" + var.name() + "': 'values' slot " + slot + " is beyond max_entries "
                        + Integer.toUnsignedString(entry.spec.maxEntries()));
            }
            entry.slotSymbols.put((int) slot, ctx.symbol(e.getValue()));
            entry.slotRelocationOffsets.put((int) slot, off);
            count++;
        }
        return count;
    }
}

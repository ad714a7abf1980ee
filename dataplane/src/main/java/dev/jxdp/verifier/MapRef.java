package dev.jxdp.verifier;

import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.MapType;
import java.util.Objects;

/**
 * A map a register refers to: one of the program's maps (by its index in the object's map list), or
 * the inner-map template of a map-in-map (any map stored in that outer map at run time).
 *
 * @param index the map's index in the verifier's map list, or -1 for an inner template
 * @param outer for an inner template, the index of the outer map; else -1
 */
public record MapRef(int index, int outer, MapSpec spec) {
    public MapRef {
        Objects.requireNonNull(spec);
    }

    public static MapRef of(int index, MapSpec spec) {
        return new MapRef(index, -1, spec);
    }

    public static MapRef innerOf(int outer, MapSpec template) {
        return new MapRef(-1, outer, template);
    }

    public MapType type() {
        return spec.type();
    }

    public int keySize() {
        return spec.keySize();
    }

    public int valueSize() {
        return spec.valueSize();
    }

    public boolean readOnlyForPrograms() {
        return (spec.flags() & MapSpec.F_RDONLY_PROG) != 0;
    }

    /** "map 'flows' (#2)" or "inner map of map 'epochs' (#3)", for proofs and messages. */
    public String describe(java.util.List<MapSpec> maps) {
        return index >= 0 ? "map '" + spec.name() + "' (#" + index + ")"
                : "inner map of map '" + maps.get(outer).name() + "' (#" + outer + ")";
    }
}

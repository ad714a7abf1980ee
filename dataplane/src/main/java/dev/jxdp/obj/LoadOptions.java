package dev.jxdp.obj;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Choices the object file leaves to whoever loads it. Immutable; start from {@link #defaults()}.
 *
 * @param defaultType the program type of executable sections whose names libbpf does not know
 *     (iproute2-era names such as {@code ingress} or {@code prog}), or null to refuse them
 * @param sectionTypes per-section program types, which win over the section name and {@code defaultType}
 * @param rodata {@code .rodata} variables to set before the maps are made, by variable name, as text
 *     parsed according to the variable's BTF type ("42", "0x2a", "-1", "true", an enumerator name, a
 *     string for char arrays, or "hex:0a0b..." for raw bytes): libbpf users do this through the
 *     skeleton's {@code rodata} pointer between open and load
 * @param objectName the object name that prefixes global data map names, or null to derive it from
 *     the file name as libbpf does
 * @param allowUnresolvedCore when true, a CO-RE relocation that cannot be resolved poisons its
 *     instruction as libbpf does (fine when the program cannot reach it, e.g. behind
 *     bpf_core_field_exists); when false (the default) it is refused at load
 */
public record LoadOptions(
        ProgramType defaultType,
        Map<String, ProgramType> sectionTypes,
        Map<String, String> rodata,
        String objectName,
        boolean allowUnresolvedCore) {

    public LoadOptions {
        sectionTypes = Map.copyOf(sectionTypes);
        rodata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rodata));
    }

    public static LoadOptions defaults() {
        return new LoadOptions(null, Map.of(), Map.of(), null, false);
    }

    public LoadOptions withDefaultType(ProgramType type) {
        return new LoadOptions(type, sectionTypes, rodata, objectName, allowUnresolvedCore);
    }

    public LoadOptions withSectionType(String section, ProgramType type) {
        Map<String, ProgramType> m = new LinkedHashMap<>(sectionTypes);
        m.put(section, type);
        return new LoadOptions(defaultType, m, rodata, objectName, allowUnresolvedCore);
    }

    /** Sets a {@code .rodata} variable from text (see {@link #rodata()}). */
    public LoadOptions withRodata(String variable, String value) {
        Map<String, String> m = new LinkedHashMap<>(rodata);
        m.put(variable, value);
        return new LoadOptions(defaultType, sectionTypes, m, objectName, allowUnresolvedCore);
    }

    /** Sets a {@code .rodata} variable to raw bytes; their length must be the variable's size. */
    public LoadOptions withRodataBytes(String variable, byte[] value) {
        StringBuilder hex = new StringBuilder("hex:");
        for (byte b : Arrays.copyOf(value, value.length)) {
            hex.append(String.format("%02x", b & 0xff));
        }
        return withRodata(variable, hex.toString());
    }

    public LoadOptions withObjectName(String name) {
        return new LoadOptions(defaultType, sectionTypes, rodata, name, allowUnresolvedCore);
    }

    public LoadOptions withAllowUnresolvedCore(boolean allow) {
        return new LoadOptions(defaultType, sectionTypes, rodata, objectName, allow);
    }
}

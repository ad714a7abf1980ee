package dev.jxdp.control;

/**
 * A map of a running switch as {@code GET /maps} lists it: what the map commands need to parse keys
 * and values and to print entries as bpftool does (the BTF they read from the object file itself).
 *
 * @param id the map's id in the switch (unique across its objects, as the kernel's map ids are)
 * @param localId its id within its object (what prog array and map-in-map slots hold)
 * @param object the object file it was loaded from
 * @param btfKeyTypeId and {@code btfValueTypeId}: the BTF types that format its entries, 0 when libbpf
 *     would create the map without BTF (then bpftool prints bytes)
 */
public record MapInfo(int id, int localId, String name, String type, int keySize, int valueSize, int maxEntries, int flags,
        boolean perCpu, int cpus, int userValueSize, int valueStride, boolean mapOfMaps, boolean progArray, String object,
        int btfKeyTypeId, int btfValueTypeId) {}

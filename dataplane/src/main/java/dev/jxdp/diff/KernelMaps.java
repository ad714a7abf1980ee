package dev.jxdp.diff;

import dev.jxdp.kernel.Bpf;
import dev.jxdp.kernel.BpfMap;
import dev.jxdp.obj.MapSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * jxdp's maps created in the kernel with BPF_MAP_CREATE, and instructions whose map references (map
 * indexes, as jxdp's linker and the {@code .s} cases leave them) are turned into the new maps'
 * descriptors: what loading a program without libbpf takes.
 */
final class KernelMaps {
    private KernelMaps() {}

    /** The kernel's description of one of jxdp's maps. */
    static dev.jxdp.kernel.MapSpec spec(MapSpec m) {
        return new dev.jxdp.kernel.MapSpec(dev.jxdp.kernel.MapType.valueOf(m.type().name()), m.keySize(), m.valueSize(),
                m.maxEntries(), m.flags(), "", m.mapExtra(), 0);
    }

    /** Creates the maps in order, named as the kernel would show them; on failure none is left open. */
    static List<BpfMap> create(List<MapSpec> maps) {
        List<BpfMap> created = new ArrayList<>();
        try {
            for (MapSpec m : maps) {
                created.add(Bpf.createMap(spec(m).withName(m.kernelName().replaceAll("[^A-Za-z0-9_.]", "_"))));
            }
            return created;
        } catch (RuntimeException e) {
            created.forEach(BpfMap::close);
            throw e;
        }
    }

    /**
     * A copy of {@code insns} with the map index of each LD_IMM64 pseudo map fd / map value load
     * replaced by that map's descriptor. An index out of range stays as it is, for the kernel to
     * refuse as it would any bad descriptor.
     */
    static byte[] withFds(byte[] insns, List<BpfMap> maps) {
        byte[] code = insns.clone();
        ByteBuffer b = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        for (int pc = 0; pc + 1 < code.length / 8; pc++) {
            int opcode = code[pc * 8] & 0xff;
            int src = (code[pc * 8 + 1] >> 4) & 0xf;
            if (opcode == 0x18) {
                if (src == 1 || src == 2) {
                    int idx = b.getInt(pc * 8 + 4);
                    if (idx >= 0 && idx < maps.size()) {
                        b.putInt(pc * 8 + 4, maps.get(idx).fd());
                    }
                }
                pc++;
            }
        }
        return code;
    }
}

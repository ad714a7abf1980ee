package dev.jxdp.diff;

import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfType;

/**
 * The bytes of a map value that belong to no member of its BTF type: struct padding. A program that
 * fills a struct on its stack and stores it in a map copies whatever its stack held in the padding;
 * the kernel's stack holds what earlier code left there, jxdp's starts zeroed, so these bytes are not
 * compared. Without BTF for the value every byte counts.
 */
final class Padding {
    private Padding() {}

    /** Per value byte, whether it is data (true) or padding; null when every byte is data. */
    static boolean[] of(ObjectSpec object, MapSpec map) {
        Btf btf = object.btf();
        int id = map.origin() == null ? 0 : map.origin().btfValueTypeId();
        if (btf == null || id == 0 || !(btf.type(btf.skipAliases(id)) instanceof BtfType.Struct)) {
            return null;
        }
        boolean[] data = new boolean[map.valueSize()];
        mark(btf, id, 0, data, 0);
        for (boolean b : data) {
            if (!b) {
                return data;
            }
        }
        return null;
    }

    private static void mark(Btf btf, int id, long offset, boolean[] data, int depth) {
        id = btf.skipAliases(id);
        if (id == 0 || depth > 32) {
            return;
        }
        switch (btf.type(id)) {
            case BtfType.Struct s -> {
                for (BtfType.Member m : s.members()) {
                    if (m.bitfieldSize() != 0) {
                        // a bitfield: the bytes it touches
                        fill(data, offset + m.bitOffset() / 8, (m.bitOffset() % 8 + m.bitfieldSize() + 7) / 8);
                    } else {
                        mark(btf, m.type(), offset + m.bitOffset() / 8, data, depth + 1);
                    }
                }
            }
            case BtfType.Array a -> {
                long size = btf.sizeOf(a.elementType());
                for (long i = 0; i < Integer.toUnsignedLong(a.length()) && size > 0; i++) {
                    mark(btf, a.elementType(), offset + i * size, data, depth + 1);
                }
            }
            default -> fill(data, offset, btf.sizeOf(id));
        }
    }

    private static void fill(boolean[] data, long from, long length) {
        for (long i = Math.max(0, from); i < from + length && i < data.length; i++) {
            data[(int) i] = true;
        }
    }
}

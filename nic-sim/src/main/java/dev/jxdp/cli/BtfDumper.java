package dev.jxdp.cli;

import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * bpftool's btf_dumper (tools/bpf/bpftool/btf_dumper.c) for the types map keys and values have:
 * integers by their size and signedness, char arrays holding a string as a string, other arrays as
 * lists, structs and unions as objects, enums by enumerator name, pointers, and global data sections as
 * {@code {".bss": [{"var": value}, ...]}}. In plain-text mode (bpftool's plain map dump) non-printable
 * chars, bitfields and pointers print in hex, as bpftool prints them.
 */
final class BtfDumper {
    /**
     * Where a global variable sits in its section: clang leaves the DATASEC offsets of non-static
     * variables at 0 in the object file and the loader takes them from the symbol table (libbpf's
     * btf_fixup_datasec), as bpftool sees them in the kernel's copy of the BTF.
     */
    @FunctionalInterface
    interface VarOffsets {
        long offset(String section, BtfType.Var var, long btfOffset);
    }

    private final Btf btf;
    private final JsonWriter w;
    private final boolean plainText;
    private final VarOffsets offsets;

    BtfDumper(Btf btf, JsonWriter w, boolean plainText, VarOffsets offsets) {
        this.btf = btf;
        this.w = w;
        this.plainText = plainText;
        this.offsets = offsets;
    }

    /** Writes the value of type {@code id} at {@code data}. */
    void dump(int id, MemorySegment data) {
        dump(id, 0, data);
    }

    private void dump(int id, int bitOffset, MemorySegment data) {
        if (id == 0) {
            w.raw("\"/* void */\"");
            return;
        }
        switch (btf.type(id)) {
            case BtfType.Int i -> integer(i, bitOffset, data);
            case BtfType.Ptr p -> pointer(data);
            case BtfType.Array a -> array(a, data);
            case BtfType.Struct s -> struct(s, data);
            case BtfType.Enum e -> enumeration(e, data);
            case BtfType.Alias a -> dump(a.type(), bitOffset, data);
            case BtfType.Var v -> {
                w.startObject().name(v.name());
                dump(v.type(), 0, data);
                w.endObject();
            }
            case BtfType.Datasec d -> {
                w.startObject().name(d.name()).startArray();
                for (BtfType.SecInfo vsi : d.vars()) {
                    long off = btf.type(vsi.type()) instanceof BtfType.Var v ? offsets.offset(d.name(), v, vsi.offset()) : vsi.offset();
                    dump(vsi.type(), 0, data.asSlice(off));
                }
                w.endArray().endObject();
            }
            case BtfType.Float f -> w.raw(f.size() == 4 ? Float.toString(data.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0))
                    : Double.toString(data.get(ValueLayout.JAVA_DOUBLE_UNALIGNED, 0)));
            default -> w.string("/* unsupported */");
        }
    }

    private void integer(BtfType.Int t, int bitOffset, MemorySegment data) {
        int bits = t.bits();
        int off = t.bitOffset() + bitOffset;
        if (off != 0 || bits != 8 && bits != 16 && bits != 32 && bits != 64) {
            bitfield(bits, off, data);
            return;
        }
        int enc = t.encoding();
        long v = switch (bits) {
            case 8 -> data.get(ValueLayout.JAVA_BYTE, 0);
            case 16 -> data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0);
            case 32 -> data.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            default -> data.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        };
        switch (enc) {
            case 0 -> w.raw(bits == 64 ? Long.toUnsignedString(v) : Long.toString(v & ((1L << bits) - 1)));
            case BtfType.Int.SIGNED -> w.raw(Long.toString(v));
            case BtfType.Int.CHAR -> {
                int c = (int) (v & 0xff);
                if (c >= 0x20 && c < 0x7f) {
                    w.raw("\"" + (char) c + "\"");
                } else if (plainText) {
                    w.raw("0x" + Integer.toHexString(c));
                } else {
                    w.raw(String.format("\"\\u00%02x\"", c));
                }
            }
            case BtfType.Int.BOOL -> w.raw(v != 0 ? "true" : "false");
            default -> w.string("/* unsupported int encoding */");
        }
    }

    /** btf_dumper_bitfield: little-endian bits, hex in plain text. */
    private void bitfield(int bits, int bitOffset, MemorySegment data) {
        long value = 0;
        for (int i = 0; i < bits; i++) {
            int bit = bitOffset + i;
            if ((data.get(ValueLayout.JAVA_BYTE, bit / 8) >> (bit % 8) & 1) != 0) {
                value |= 1L << i;
            }
        }
        w.raw(plainText ? "0x" + Long.toHexString(value) : Long.toUnsignedString(value));
    }

    private void pointer(MemorySegment data) {
        long v = data.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        w.raw(plainText ? (v == 0 ? "(nil)" : "0x" + Long.toHexString(v)) : Long.toUnsignedString(v));
    }

    private void array(BtfType.Array a, MemorySegment data) {
        if (isString(a, data)) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; data.get(ValueLayout.JAVA_BYTE, i) != 0; i++) {
                s.append((char) data.get(ValueLayout.JAVA_BYTE, i));
            }
            w.string(s.toString());
            return;
        }
        long size = btf.sizeOf(a.elementType());
        w.startArray();
        for (long i = 0; i < Integer.toUnsignedLong(a.length()); i++) {
            dump(a.elementType(), 0, data.asSlice(i * size));
        }
        w.endArray();
    }

    /** is_str_array: one-byte chars (through qualifiers, not typedefs) holding a printable NUL-terminated string. */
    private boolean isString(BtfType.Array a, MemorySegment data) {
        if (a.length() == 0) {
            return false;
        }
        int id = a.elementType();
        while (id != 0 && btf.type(id) instanceof BtfType.Alias al && al.kind() != BtfType.KIND_TYPEDEF) {
            id = al.type();
        }
        if (id == 0 || !(btf.type(id) instanceof BtfType.Int t) || t.size() != 1) {
            return false;
        }
        if ((t.encoding() & BtfType.Int.CHAR) == 0 && !t.name().equals("char")) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            byte b = data.get(ValueLayout.JAVA_BYTE, i);
            if (b == 0) {
                return true;
            }
            if (b <= 0x1f || b >= 0x7f) {
                return false;
            }
        }
        return false;
    }

    private void struct(BtfType.Struct s, MemorySegment data) {
        w.startObject();
        for (BtfType.Member m : s.members()) {
            w.name(m.name());
            if (m.bitfieldSize() != 0) {
                bitfield(m.bitfieldSize(), m.bitOffset() % 8, data.asSlice(m.bitOffset() / 8));
            } else {
                dump(m.type(), m.bitOffset() % 8, data.asSlice(m.bitOffset() / 8));
            }
        }
        w.endObject();
    }

    private void enumeration(BtfType.Enum e, MemorySegment data) {
        long v = switch (e.size()) {
            case 8 -> data.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            case 2 -> data.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0);
            case 1 -> data.get(ValueLayout.JAVA_BYTE, 0);
            default -> data.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        };
        for (BtfType.EnumValue ev : e.values()) {
            if (ev.value() == v) {
                w.string(ev.name());
                return;
            }
        }
        w.raw(Long.toString(v));
    }
}

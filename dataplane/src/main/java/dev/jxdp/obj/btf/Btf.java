package dev.jxdp.obj.btf;

import dev.jxdp.obj.ObjectFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The type information of an object's {@code .BTF} section. Parsing checks every length and offset
 * against the blob, and every type reference against the number of types, so that later users can
 * follow ids without checks.
 */
public final class Btf {
    public static final int MAGIC = 0xeB9F;
    private static final int HEADER_MIN = 24;
    private static final int MAX_RESOLVE_DEPTH = 32;

    private final List<BtfType> types;
    private final byte[] strings;

    private Btf(List<BtfType> types, byte[] strings) {
        this.types = types;
        this.strings = strings;
    }

    /**
     * @param file and {@code sectionOffset}: for error messages, the object and where the section starts in it
     */
    public static Btf parse(String file, String section, long sectionOffset, byte[] blob) {
        Reader r = new Reader(file, section, sectionOffset, blob);
        if (blob.length < HEADER_MIN) {
            throw r.error(0, "BTF header truncated: " + blob.length + " bytes, need " + HEADER_MIN);
        }
        ByteBuffer in = r.in;
        int magic = Short.toUnsignedInt(in.getShort(0));
        if (magic != MAGIC) {
            throw r.error(0, String.format("bad BTF magic 0x%x (expected 0xeb9f; big-endian BTF is not supported)", magic));
        }
        if (in.get(2) != 1) {
            throw r.error(2, "unsupported BTF version " + in.get(2));
        }
        long hdrLen = Integer.toUnsignedLong(in.getInt(4));
        long typeOff = Integer.toUnsignedLong(in.getInt(8));
        long typeLen = Integer.toUnsignedLong(in.getInt(12));
        long strOff = Integer.toUnsignedLong(in.getInt(16));
        long strLen = Integer.toUnsignedLong(in.getInt(20));
        if (hdrLen < HEADER_MIN || hdrLen > blob.length) {
            throw r.error(4, "BTF header length " + hdrLen + " is outside the section (" + blob.length + " bytes)");
        }
        r.checkRange(8, hdrLen + typeOff, typeLen, "type section");
        r.checkRange(16, hdrLen + strOff, strLen, "string section");
        int strStart = (int) (hdrLen + strOff);
        if (strLen == 0 || blob[strStart] != 0 || blob[(int) (strStart + strLen - 1)] != 0) {
            throw r.error(16, "BTF string section must start and end with a NUL byte");
        }
        byte[] strings = java.util.Arrays.copyOfRange(blob, strStart, (int) (strStart + strLen));
        r.strings = strings;

        List<BtfType> types = new ArrayList<>();
        types.add(null); // id 0: void
        long pos = hdrLen + typeOff;
        long end = pos + typeLen;
        while (pos < end) {
            types.add(r.type(pos, end));
            pos = r.next;
        }
        Btf btf = new Btf(java.util.Collections.unmodifiableList(types), strings);
        btf.checkReferences(r, hdrLen + typeOff);
        return btf;
    }

    /** Every type id a type refers to must exist; records are positioned only roughly in errors. */
    private void checkReferences(Reader r, long typeSectionStart) {
        int n = types.size();
        for (int id = 1; id < n; id++) {
            for (int ref : references(types.get(id))) {
                if (ref < 0 || ref >= n) {
                    throw r.error(typeSectionStart, "type [" + id + "] refers to type " + Integer.toUnsignedString(ref)
                            + ", but there are only " + (n - 1) + " types");
                }
            }
        }
    }

    private static List<Integer> references(BtfType t) {
        return switch (t) {
            case BtfType.Ptr p -> List.of(p.type());
            case BtfType.Array a -> List.of(a.elementType(), a.indexType());
            case BtfType.Struct s -> s.members().stream().map(BtfType.Member::type).toList();
            case BtfType.Alias a -> List.of(a.type());
            case BtfType.Func f -> List.of(f.type());
            case BtfType.FuncProto p -> {
                List<Integer> refs = new ArrayList<>();
                refs.add(p.returnType());
                p.params().forEach(x -> refs.add(x.type()));
                yield refs;
            }
            case BtfType.Var v -> List.of(v.type());
            case BtfType.Datasec d -> d.vars().stream().map(BtfType.SecInfo::type).toList();
            case BtfType.DeclTag d -> List.of(d.type());
            case BtfType.Int i -> List.of();
            case BtfType.Enum e -> List.of();
            case BtfType.Fwd f -> List.of();
            case BtfType.Float f -> List.of();
        };
    }

    /** All types; index = type id, index 0 (void) is null. */
    public List<BtfType> types() {
        return types;
    }

    public BtfType type(int id) {
        if (id <= 0 || id >= types.size()) {
            throw new IllegalArgumentException("no BTF type " + id);
        }
        return types.get(id);
    }

    /** The string at an offset of the string section. */
    public String string(int offset) {
        if (offset < 0 || offset >= strings.length) {
            throw new IllegalArgumentException("string offset " + Integer.toUnsignedString(offset)
                    + " lies outside the BTF string section (" + strings.length + " bytes)");
        }
        return Reader.string(strings, offset);
    }

    /** The id with typedefs, qualifiers and type tags stripped; 0 for void. */
    public int skipAliases(int id) {
        for (int depth = 0; id != 0 && depth < MAX_RESOLVE_DEPTH; depth++) {
            if (!(types.get(id) instanceof BtfType.Alias a)) {
                return id;
            }
            id = a.type();
        }
        if (id == 0) {
            return 0;
        }
        throw new IllegalArgumentException("BTF type chain too deep (a loop of typedefs?) at type " + id);
    }

    /**
     * Size in bytes of a type (C's sizeof), or -1 for types without one (void, functions, forward
     * declarations). Arrays of arrays are walked in the same bounded loop as aliases and variables (a
     * recursion here overflowed the stack on an array that was its own element type, found by the
     * fuzzer), and, as the kernel's btf_array_resolve requires, an array's size must fit in 32 bits.
     */
    public long sizeOf(int id) {
        long elements = 1; // the product of the lengths of the arrays passed on the way
        int start = id;
        for (int depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
            id = skipAliases(id);
            if (id == 0) {
                return -1;
            }
            long size;
            switch (types.get(id)) {
                case BtfType.Int i -> size = i.size();
                case BtfType.Ptr p -> size = 8;
                case BtfType.Struct s -> size = s.size();
                case BtfType.Enum e -> size = e.size();
                case BtfType.Float f -> size = f.size();
                case BtfType.Datasec d -> size = d.size();
                case BtfType.Var v -> {
                    id = v.type();
                    continue;
                }
                case BtfType.Array a -> {
                    elements = timesWithin32Bits(elements, Integer.toUnsignedLong(a.length()), start);
                    id = a.elementType();
                    continue;
                }
                default -> {
                    return -1;
                }
            }
            return timesWithin32Bits(size, elements, start);
        }
        throw new IllegalArgumentException("BTF type chain too deep at type " + start);
    }

    private static final long U32_MAX = 0xffff_ffffL;

    /** {@code a * b} for two values of at most 32 bits, refused when the product is not one too. */
    private static long timesWithin32Bits(long a, long b, int type) {
        if (b != 0 && a > U32_MAX / b) {
            throw new IllegalArgumentException("BTF array type " + type + ": size overflows U32_MAX");
        }
        return a * b;
    }

    /** The first type of a kind with a name, or -1. */
    public int find(int kind, String name) {
        for (int id = 1; id < types.size(); id++) {
            BtfType t = types.get(id);
            if (t.kind() == kind && t.name().equals(name)) {
                return id;
            }
        }
        return -1;
    }

    /** Reads type records, checking each against the section's bounds. */
    private static final class Reader {
        final String file;
        final String section;
        final long sectionOffset;
        final byte[] blob;
        final ByteBuffer in;
        byte[] strings;
        long next;

        Reader(String file, String section, long sectionOffset, byte[] blob) {
            this.file = file;
            this.section = section;
            this.sectionOffset = sectionOffset;
            this.blob = blob;
            this.in = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        }

        ObjectFormatException error(long at, String problem) {
            return new ObjectFormatException(file, section, sectionOffset + at, problem);
        }

        void checkRange(long fieldAt, long offset, long length, String what) {
            if (offset > blob.length || length > blob.length - offset) {
                throw error(fieldAt, "BTF " + what + " at " + offset + " of length " + length
                        + " lies outside the section (" + blob.length + " bytes)");
            }
        }

        BtfType type(long pos, long end) {
            need(pos, 12, end, "type record");
            int p = (int) pos;
            String name = name(p, in.getInt(p));
            int info = in.getInt(p + 4);
            int kind = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            boolean kflag = info < 0;
            int sizeOrType = in.getInt(p + 8);
            int body = p + 12;
            next = body;
            return switch (kind) {
                case BtfType.KIND_INT -> {
                    need(body, 4, end, "INT encoding");
                    int v = in.getInt(body);
                    next = body + 4;
                    yield new BtfType.Int(name, sizeOrType, (v >>> 24) & 0x0f, (v >>> 16) & 0xff, v & 0xff);
                }
                case BtfType.KIND_PTR -> new BtfType.Ptr(sizeOrType);
                case BtfType.KIND_ARRAY -> {
                    need(body, 12, end, "ARRAY");
                    next = body + 12;
                    yield new BtfType.Array(in.getInt(body), in.getInt(body + 4), in.getInt(body + 8));
                }
                case BtfType.KIND_STRUCT, BtfType.KIND_UNION -> {
                    need(body, 12L * vlen, end, "members");
                    List<BtfType.Member> members = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        int m = body + 12 * i;
                        int off = in.getInt(m + 8);
                        members.add(new BtfType.Member(name(m, in.getInt(m)), in.getInt(m + 4),
                                kflag ? off & 0xffffff : off, kflag ? off >>> 24 : 0));
                    }
                    next = body + 12L * vlen;
                    yield new BtfType.Struct(name, sizeOrType, kind == BtfType.KIND_UNION, List.copyOf(members));
                }
                case BtfType.KIND_ENUM, BtfType.KIND_ENUM64 -> {
                    int each = kind == BtfType.KIND_ENUM ? 8 : 12;
                    need(body, (long) each * vlen, end, "enum values");
                    List<BtfType.EnumValue> values = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        int e = body + each * i;
                        long v = kind == BtfType.KIND_ENUM
                                ? (kflag ? in.getInt(e + 4) : Integer.toUnsignedLong(in.getInt(e + 4)))
                                : Integer.toUnsignedLong(in.getInt(e + 4)) | (long) in.getInt(e + 8) << 32;
                        values.add(new BtfType.EnumValue(name(e, in.getInt(e)), v));
                    }
                    next = body + (long) each * vlen;
                    yield new BtfType.Enum(name, sizeOrType, kflag, kind == BtfType.KIND_ENUM64, List.copyOf(values));
                }
                case BtfType.KIND_FWD -> new BtfType.Fwd(name, kflag);
                case BtfType.KIND_TYPEDEF, BtfType.KIND_VOLATILE, BtfType.KIND_CONST, BtfType.KIND_RESTRICT,
                        BtfType.KIND_TYPE_TAG -> new BtfType.Alias(kind, name, sizeOrType);
                case BtfType.KIND_FUNC -> new BtfType.Func(name, sizeOrType, vlen);
                case BtfType.KIND_FUNC_PROTO -> {
                    need(body, 8L * vlen, end, "parameters");
                    List<BtfType.Param> params = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        int q = body + 8 * i;
                        params.add(new BtfType.Param(name(q, in.getInt(q)), in.getInt(q + 4)));
                    }
                    next = body + 8L * vlen;
                    yield new BtfType.FuncProto(sizeOrType, List.copyOf(params));
                }
                case BtfType.KIND_VAR -> {
                    need(body, 4, end, "VAR linkage");
                    next = body + 4;
                    yield new BtfType.Var(name, sizeOrType, in.getInt(body));
                }
                case BtfType.KIND_DATASEC -> {
                    need(body, 12L * vlen, end, "section variables");
                    List<BtfType.SecInfo> vars = new ArrayList<>(vlen);
                    for (int i = 0; i < vlen; i++) {
                        int v = body + 12 * i;
                        vars.add(new BtfType.SecInfo(in.getInt(v), in.getInt(v + 4), in.getInt(v + 8)));
                    }
                    next = body + 12L * vlen;
                    yield new BtfType.Datasec(name, sizeOrType, List.copyOf(vars));
                }
                case BtfType.KIND_FLOAT -> new BtfType.Float(name, sizeOrType);
                case BtfType.KIND_DECL_TAG -> {
                    need(body, 4, end, "DECL_TAG");
                    next = body + 4;
                    yield new BtfType.DeclTag(name, sizeOrType, in.getInt(body));
                }
                default -> throw error(p + 4, "unknown BTF kind " + kind);
            };
        }

        private void need(long at, long bytes, long end, String what) {
            if (bytes > end - at) {
                throw error(at, "BTF " + what + " truncated: needs " + bytes + " bytes, " + Math.max(0, end - at) + " left in the type section");
            }
        }

        private String name(int fieldAt, int offset) {
            if (Integer.toUnsignedLong(offset) >= strings.length) {
                throw error(fieldAt, "BTF name offset " + Integer.toUnsignedString(offset) + " lies outside the string section (" + strings.length + " bytes)");
            }
            return string(strings, offset);
        }

        static String string(byte[] strings, int offset) {
            int end = offset;
            while (strings[end] != 0) {
                end++;
            }
            return new String(strings, offset, end - offset, StandardCharsets.UTF_8);
        }
    }
}

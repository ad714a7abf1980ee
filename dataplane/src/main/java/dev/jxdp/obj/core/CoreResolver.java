package dev.jxdp.obj.core;

import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfType;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves CO-RE relocations (BPF CO-RE: compile once, run everywhere) the way libbpf's relo_core.c
 * does: the program's access spec ("0:1:2" into a local type) is matched against candidate types of
 * the target BTF that share the local type's name without its {@code ___flavor} suffix, and the
 * relocation's value (field offset, size, existence, bitfield shifts, type id, size or existence,
 * enumerator existence or value) is computed for both, so the caller can check the instruction still
 * holds the local value and replace it with the target's.
 *
 * <p>In the kernel the target is vmlinux BTF. jxdp has no kernel: its contexts are the uapi structs
 * ({@code struct xdp_md}, {@code struct __sk_buff}) as the program's own BTF describes them, so the
 * target here is the program's BTF, and with {@code excludeFlavors} the flavoured local variants
 * ({@code struct xdp_md___old}) are not candidates: they stand for what a kernel may have, not for
 * what it has.
 *
 * <p>Work is bounded: recursion into types stops at libbpf's depth limits, and a budget of steps stops
 * crafted BTF that would make the search blow up.
 */
public final class CoreResolver {
    /** libbpf's BPF_CORE_SPEC_MAX_LEN. */
    static final int SPEC_MAX_LEN = 64;
    private static final int MAX_DEPTH = 32;
    private static final int STEP_BUDGET = 1_000_000;

    private final Btf local;
    private final Btf target;
    private final boolean excludeFlavors;
    private int steps;

    public CoreResolver(Btf local, Btf target, boolean excludeFlavors) {
        this.local = local;
        this.target = target;
        this.excludeFlavors = excludeFlavors;
    }

    /**
     * What a relocation resolves to. {@code poison}: nothing in the target matches and the kind has no
     * "does not exist" answer; libbpf then poisons the instruction. {@code validate}: the instruction
     * must hold {@code origValue} before patching. For field offsets, {@code origSize} and
     * {@code newSize} are the field's sizes (a load must change width when they differ), and
     * {@code failMemSizeAdjust} says the width change would change the value read.
     */
    public record Result(long origValue, long newValue, boolean poison, boolean validate, int origSize, int newSize,
            boolean failMemSizeAdjust, String description) {}

    private record Accessor(int typeId, int idx, String name) {}

    private static final class Spec {
        final Btf btf;
        int rootTypeId;
        final List<Accessor> acc = new ArrayList<>();
        final List<Integer> raw = new ArrayList<>();
        long bitOffset;

        Spec(Btf btf, int rootTypeId) {
            this.btf = btf;
            this.rootTypeId = rootTypeId;
        }
    }

    private record FieldValue(long value, int size, int typeId, boolean validate, boolean poison) {}

    public Result resolve(int typeId, String accessSpec, CoreKind kind) {
        steps = 0;
        Spec localSpec = parse(local, typeId, accessSpec, kind);
        String description = describe(typeId, accessSpec, kind);
        if (kind == CoreKind.TYPE_ID_LOCAL) {
            return new Result(typeId, typeId, false, false, 0, 0, false, description);
        }
        BtfType localType = local.type(typeId);
        if (localType.name().isEmpty()) {
            throw new CoreException(description + ": relocations against anonymous types are not supported (libbpf neither)");
        }
        Result found = null;
        Spec foundSpec = null;
        for (int cand : candidates(localType)) {
            Spec targSpec = match(localSpec, kind, cand);
            if (targSpec == null) {
                continue;
            }
            Result r = calc(localSpec, targSpec, kind, description);
            if (found == null) {
                found = r;
                foundSpec = targSpec;
            } else if (targSpec.bitOffset != foundSpec.bitOffset) {
                throw new CoreException(description + ": field offset ambiguity: " + foundSpec.bitOffset / 8 + " != " + targSpec.bitOffset / 8);
            } else if (r.poison() != found.poison() || r.newValue() != found.newValue()) {
                throw new CoreException(description + ": relocation decision ambiguity: " + found.newValue() + " != " + r.newValue());
            }
        }
        return found != null ? found : calc(localSpec, null, kind, description);
    }

    private String describe(int typeId, String accessSpec, CoreKind kind) {
        String typeName = "?";
        if (typeId > 0 && typeId < local.types().size()) {
            BtfType t = local.type(typeId);
            String kindName = switch (t.kind()) {
                case BtfType.KIND_STRUCT -> "struct ";
                case BtfType.KIND_UNION -> "union ";
                case BtfType.KIND_ENUM, BtfType.KIND_ENUM64 -> "enum ";
                case BtfType.KIND_TYPEDEF -> "typedef ";
                default -> "";
            };
            typeName = kindName + (t.name().isEmpty() ? "(anon)" : t.name());
        }
        return "<" + kind.shortName() + "> [" + typeId + "] " + typeName + " (" + accessSpec + ")";
    }

    // ---- access specs ------------------------------------------------------------------------------

    private Spec parse(Btf btf, int typeId, String str, CoreKind kind) {
        if (typeId <= 0 || typeId >= btf.types().size()) {
            throw new CoreException("CO-RE relocation of type [" + typeId + "], which does not exist");
        }
        Spec spec = new Spec(btf, typeId);
        if (kind.typeBased()) {
            if (!str.equals("0")) {
                throw new CoreException("type relocation " + describe(typeId, str, kind) + " must have access spec \"0\"");
            }
            return spec;
        }
        for (String part : str.split(":", -1)) {
            int v;
            try {
                v = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new CoreException("bad CO-RE access spec \"" + str + "\"");
            }
            if (v < 0) {
                throw new CoreException("bad CO-RE access spec \"" + str + "\"");
            }
            if (spec.raw.size() == SPEC_MAX_LEN) {
                throw new CoreException("CO-RE access spec \"" + str + "\" is longer than " + SPEC_MAX_LEN);
            }
            spec.raw.add(v);
        }
        int id = skip(btf, typeId);
        BtfType t = type(btf, id);
        int first = spec.raw.getFirst();
        if (kind.enumBased()) {
            if (!(t instanceof BtfType.Enum e) || spec.raw.size() > 1 || first >= e.values().size()) {
                throw new CoreException(describe(typeId, str, kind) + ": not an enumerator of an enum");
            }
            spec.acc.add(new Accessor(id, first, e.values().get(first).name()));
            return spec;
        }
        if (t == null) {
            throw new CoreException(describe(typeId, str, kind) + ": field access into void");
        }
        spec.acc.add(new Accessor(id, first, null));
        spec.bitOffset = bits(first, size(btf, id, str));
        for (int i = 1; i < spec.raw.size(); i++) {
            id = skip(btf, id);
            t = type(btf, id);
            int idx = spec.raw.get(i);
            switch (t) {
                case BtfType.Struct st -> {
                    if (idx >= st.members().size()) {
                        throw new CoreException(describe(typeId, str, kind) + ": member " + idx + " of a " + st.members().size() + "-member type");
                    }
                    BtfType.Member m = st.members().get(idx);
                    spec.bitOffset += m.bitOffset();
                    if (!m.name().isEmpty()) {
                        spec.acc.add(new Accessor(id, idx, m.name()));
                    }
                    id = m.type();
                }
                case BtfType.Array a -> {
                    int elem = skip(btf, a.elementType());
                    if (elem == 0) {
                        throw new CoreException(describe(typeId, str, kind) + ": array of void");
                    }
                    boolean flex = isFlex(btf, spec.acc.getLast(), a);
                    if (!flex && Integer.toUnsignedLong(idx) >= Integer.toUnsignedLong(a.length())) {
                        throw new CoreException(describe(typeId, str, kind) + ": index " + idx + " of a " + Integer.toUnsignedString(a.length()) + "-element array");
                    }
                    spec.acc.add(new Accessor(elem, idx, null));
                    spec.bitOffset = Math.addExact(spec.bitOffset, bits(idx, size(btf, elem, str)));
                    id = elem;
                }
                case null, default -> throw new CoreException(describe(typeId, str, kind) + ": access step " + i
                        + " goes into a type that is neither a struct, a union nor an array");
            }
        }
        return spec;
    }

    private static long bits(long index, long size) {
        try {
            return Math.multiplyExact(Math.multiplyExact(index, size), 8);
        } catch (ArithmeticException e) {
            throw new CoreException("CO-RE field offset overflows");
        }
    }

    private static long size(Btf btf, int id, String str) {
        long sz;
        try {
            sz = btf.sizeOf(id);
        } catch (IllegalArgumentException e) {
            throw new CoreException(e.getMessage());
        }
        if (sz < 0) {
            throw new CoreException("CO-RE access \"" + str + "\" goes through type [" + id + "], which has no size");
        }
        return sz;
    }

    /** A zero-length array that is the last member of a struct (a flexible array member). */
    private static boolean isFlex(Btf btf, Accessor previous, BtfType.Array a) {
        if (previous.name() == null || a.length() != 0) {
            return false;
        }
        return btf.type(previous.typeId()) instanceof BtfType.Struct st && previous.idx() == st.members().size() - 1;
    }

    // ---- candidates and matching -------------------------------------------------------------------

    private List<Integer> candidates(BtfType localType) {
        String name = localType.name();
        int len = essentialLength(name);
        List<Integer> out = new ArrayList<>();
        for (int id = 1; id < target.types().size(); id++) {
            BtfType t = target.type(id);
            String n = t.name();
            if (n.isEmpty() || !kindCompat(localType, t)) {
                continue;
            }
            if (excludeFlavors && essentialLength(n) != n.length()) {
                continue;
            }
            if (essentialLength(n) == len && n.regionMatches(0, name, 0, len)) {
                out.add(id);
            }
        }
        return out;
    }

    private Spec match(Spec local, CoreKind kind, int candId) {
        Spec t = new Spec(target, candId);
        if (kind.typeBased()) {
            boolean ok = kind == CoreKind.TYPE_MATCHES
                    ? typesMatch(local.btf, local.rootTypeId, target, candId, false, MAX_DEPTH)
                    : typesAreCompat(local.btf, local.rootTypeId, target, candId, MAX_DEPTH);
            return ok ? t : null;
        }
        if (kind.enumBased()) {
            int id = skip(target, candId);
            if (!(type(target, id) instanceof BtfType.Enum e)) {
                return null;
            }
            String localName = local.acc.getFirst().name();
            int len = essentialLength(localName);
            for (int i = 0; i < e.values().size(); i++) {
                String n = e.values().get(i).name();
                if (essentialLength(n) == len && n.regionMatches(0, localName, 0, len)) {
                    t.acc.add(new Accessor(id, i, n));
                    t.raw.add(i);
                    return t;
                }
            }
            return null;
        }
        int targId = candId;
        for (int i = 0; i < local.acc.size(); i++) {
            Accessor la = local.acc.get(i);
            targId = skip(target, targId);
            BtfType tt = type(target, targId);
            if (tt == null) {
                return null;
            }
            if (la.name() != null) {
                int[] next = new int[1];
                if (!matchMember(local.btf, la, targId, t, next)) {
                    return null;
                }
                targId = next[0];
            } else {
                if (i > 0) {
                    if (!(tt instanceof BtfType.Array a)) {
                        return null;
                    }
                    boolean flex = isFlex(target, t.acc.getLast(), a);
                    if (!flex && Integer.toUnsignedLong(la.idx()) >= Integer.toUnsignedLong(a.length())) {
                        return null;
                    }
                    targId = skip(target, a.elementType());
                    if (targId == 0) {
                        return null;
                    }
                }
                if (t.raw.size() == SPEC_MAX_LEN) {
                    throw new CoreException("CO-RE target access is longer than " + SPEC_MAX_LEN);
                }
                t.acc.add(new Accessor(targId, la.idx(), null));
                t.raw.add(la.idx());
                t.bitOffset = Math.addExact(t.bitOffset, bits(la.idx(), size(target, targId, "target")));
            }
        }
        return t;
    }

    /** Finds the local accessor's member by name in a target struct or union, looking into anonymous members. */
    private boolean matchMember(Btf localBtf, Accessor la, int targId, Spec spec, int[] next) {
        step();
        BtfType.Struct localStruct = (BtfType.Struct) localBtf.type(la.typeId());
        BtfType.Member lm = localStruct.members().get(la.idx());
        int tid = skip(target, targId);
        if (!(type(target, tid) instanceof BtfType.Struct ts)) {
            return false;
        }
        for (int i = 0; i < ts.members().size(); i++) {
            BtfType.Member m = ts.members().get(i);
            if (spec.raw.size() == SPEC_MAX_LEN) {
                throw new CoreException("CO-RE target access is longer than " + SPEC_MAX_LEN);
            }
            spec.bitOffset += m.bitOffset();
            spec.raw.add(i);
            if (m.name().isEmpty()) {
                if (matchMember(localBtf, la, m.type(), spec, next)) {
                    return true;
                }
            } else if (m.name().equals(lm.name())) {
                spec.acc.add(new Accessor(tid, i, m.name()));
                next[0] = m.type();
                boolean ok = fieldsAreCompat(localBtf, lm.type(), target, m.type());
                if (!ok) {
                    spec.acc.removeLast();
                }
                return ok;
            }
            spec.bitOffset -= m.bitOffset();
            spec.raw.removeLast();
        }
        return false;
    }

    private boolean fieldsAreCompat(Btf lb, int lid, Btf tb, int tid) {
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            step();
            lid = skip(lb, lid);
            tid = skip(tb, tid);
            BtfType l = type(lb, lid);
            BtfType t = type(tb, tid);
            if (l == null || t == null) {
                return false;
            }
            if (l instanceof BtfType.Struct && t instanceof BtfType.Struct) {
                return true;
            }
            if (!kindCompat(l, t)) {
                return false;
            }
            switch (l) {
                case BtfType.Ptr p -> {
                    return true;
                }
                case BtfType.Float f -> {
                    return true;
                }
                case BtfType.Fwd f -> {
                    return namesCompat(l.name(), t.name());
                }
                case BtfType.Enum e -> {
                    return namesCompat(l.name(), t.name());
                }
                case BtfType.Int i -> {
                    return i.bitOffset() == 0 && ((BtfType.Int) t).bitOffset() == 0;
                }
                case BtfType.Array a -> {
                    lid = a.elementType();
                    tid = ((BtfType.Array) t).elementType();
                }
                default -> {
                    return false;
                }
            }
        }
        throw new CoreException("CO-RE field types nest deeper than " + MAX_DEPTH);
    }

    /** One of them anonymous, or both with the same name up to their flavours. */
    private static boolean namesCompat(String a, String b) {
        int la = essentialLength(a);
        int lb = essentialLength(b);
        return la == 0 || lb == 0 || (la == lb && a.regionMatches(0, b, 0, la));
    }

    /** bpf_core_types_are_compat: same shape, names ignored below the top, for type relocations. */
    private boolean typesAreCompat(Btf lb, int lid, Btf tb, int tid, int level) {
        if (!kindCompat(type(lb, lid), type(tb, tid))) {
            return false;
        }
        for (int depth = MAX_DEPTH; ; ) {
            step();
            if (--depth < 0) {
                throw new CoreException("CO-RE types nest deeper than " + MAX_DEPTH);
            }
            lid = skip(lb, lid);
            tid = skip(tb, tid);
            BtfType l = type(lb, lid);
            BtfType t = type(tb, tid);
            if (l == null || t == null) {
                return l == null && t == null;
            }
            if (!kindCompat(l, t)) {
                return false;
            }
            switch (l) {
                case BtfType.Struct s -> {
                    return true;
                }
                case BtfType.Enum e -> {
                    return true;
                }
                case BtfType.Fwd f -> {
                    return true;
                }
                case BtfType.Int i -> {
                    return i.bitOffset() == 0 && ((BtfType.Int) t).bitOffset() == 0;
                }
                case BtfType.Ptr p -> {
                    lid = p.type();
                    tid = ((BtfType.Ptr) t).type();
                }
                case BtfType.Array a -> {
                    lid = a.elementType();
                    tid = ((BtfType.Array) t).elementType();
                }
                case BtfType.FuncProto lp -> {
                    BtfType.FuncProto tp = (BtfType.FuncProto) t;
                    if (lp.params().size() != tp.params().size()) {
                        return false;
                    }
                    for (int i = 0; i < lp.params().size(); i++) {
                        if (level <= 0) {
                            throw new CoreException("CO-RE function prototypes nest deeper than " + MAX_DEPTH);
                        }
                        if (!typesAreCompat(lb, skip(lb, lp.params().get(i).type()), tb, skip(tb, tp.params().get(i).type()), level - 1)) {
                            return false;
                        }
                    }
                    lid = lp.returnType();
                    tid = tp.returnType();
                }
                default -> {
                    return false;
                }
            }
        }
    }

    /** bpf_core_types_match: names and layout agree (for bpf_core_type_matches). */
    private boolean typesMatch(Btf lb, int lid, Btf tb, int tid, boolean behindPtr, int level) {
        if (level <= 0) {
            throw new CoreException("CO-RE types nest deeper than " + MAX_DEPTH);
        }
        for (int depth = MAX_DEPTH; ; ) {
            step();
            if (--depth < 0) {
                throw new CoreException("CO-RE types nest deeper than " + MAX_DEPTH);
            }
            lid = skip(lb, lid);
            tid = skip(tb, tid);
            BtfType l = type(lb, lid);
            BtfType t = type(tb, tid);
            if (l == null || t == null) {
                return l == null && t == null;
            }
            if (!namesMatch(l.name(), t.name())) {
                return false;
            }
            switch (l) {
                case BtfType.Fwd lf -> {
                    if (behindPtr) {
                        if (t instanceof BtfType.Fwd tf) {
                            return lf.union() == tf.union();
                        }
                        return t instanceof BtfType.Struct ts && ts.union() == lf.union();
                    }
                    return t instanceof BtfType.Fwd tf && lf.union() == tf.union();
                }
                case BtfType.Enum le -> {
                    return t instanceof BtfType.Enum te && enumsMatch(le, te);
                }
                case BtfType.Struct ls -> {
                    if (behindPtr) {
                        if (t instanceof BtfType.Struct ts) {
                            return ts.union() == ls.union();
                        }
                        return t instanceof BtfType.Fwd tf && tf.union() == ls.union();
                    }
                    return t instanceof BtfType.Struct ts && ts.union() == ls.union() && compositesMatch(lb, ls, tb, ts, behindPtr, level);
                }
                case BtfType.Int li -> {
                    return t instanceof BtfType.Int ti && li.size() == ti.size() && li.signed() == ti.signed();
                }
                case BtfType.Ptr lp -> {
                    if (!(t instanceof BtfType.Ptr tp)) {
                        return false;
                    }
                    behindPtr = true;
                    lid = lp.type();
                    tid = tp.type();
                }
                case BtfType.Array la -> {
                    if (!(t instanceof BtfType.Array ta) || la.length() != ta.length()) {
                        return false;
                    }
                    lid = la.elementType();
                    tid = ta.elementType();
                }
                case BtfType.FuncProto lp -> {
                    if (!(t instanceof BtfType.FuncProto tp) || lp.params().size() != tp.params().size()) {
                        return false;
                    }
                    for (int i = 0; i < lp.params().size(); i++) {
                        if (!typesMatch(lb, lp.params().get(i).type(), tb, tp.params().get(i).type(), behindPtr, level - 1)) {
                            return false;
                        }
                    }
                    lid = lp.returnType();
                    tid = tp.returnType();
                }
                default -> {
                    return false;
                }
            }
        }
    }

    private static boolean namesMatch(String local, String targ) {
        if (targ.isEmpty()) {
            return local.isEmpty();
        }
        int lt = essentialLength(targ);
        int ll = essentialLength(local);
        return lt == ll && local.regionMatches(0, targ, 0, ll);
    }

    private static boolean enumsMatch(BtfType.Enum l, BtfType.Enum t) {
        if (l.size() != t.size()) {
            return false;
        }
        for (BtfType.EnumValue lv : l.values()) {
            boolean matched = false;
            for (BtfType.EnumValue tv : t.values()) {
                if (namesMatch(lv.name(), tv.name()) && lv.value() == tv.value()) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    private boolean compositesMatch(Btf lb, BtfType.Struct l, Btf tb, BtfType.Struct t, boolean behindPtr, int level) {
        if (l.members().size() > t.members().size()) {
            return false;
        }
        for (BtfType.Member lm : l.members()) {
            boolean matched = false;
            for (BtfType.Member tm : t.members()) {
                step();
                if (namesMatch(lm.name(), tm.name()) && typesMatch(lb, lm.type(), tb, tm.type(), behindPtr, level - 1)) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    // ---- values ------------------------------------------------------------------------------------

    private Result calc(Spec localSpec, Spec targSpec, CoreKind kind, String description) {
        if (kind.fieldBased()) {
            FieldValue lo = field(localSpec, kind);
            FieldValue tg = field(targSpec, kind);
            if (tg.poison()) {
                return new Result(lo.value(), 0, true, lo.validate(), lo.size(), 0, false, description);
            }
            boolean failAdjust = false;
            if (lo.size() != tg.size()) {
                BtfType o = type(localSpec.btf, lo.typeId());
                BtfType n = type(targSpec.btf, tg.typeId());
                boolean pointers = o instanceof BtfType.Ptr && n instanceof BtfType.Ptr;
                boolean unsigned = o instanceof BtfType.Int oi && n instanceof BtfType.Int ni
                        && oi.encoding() != BtfType.Int.SIGNED && ni.encoding() != BtfType.Int.SIGNED;
                failAdjust = !pointers && !unsigned;
            }
            return new Result(lo.value(), tg.value(), false, lo.validate(), lo.size(), tg.size(), failAdjust, description);
        }
        if (kind.typeBased()) {
            long orig = typeValue(localSpec, kind);
            long now = typeValue(targSpec, kind);
            return new Result(orig, now, false, kind != CoreKind.TYPE_ID_TARGET, 0, 0, false, description);
        }
        long orig = enumValue(localSpec, kind);
        if (targSpec == null && kind == CoreKind.ENUMVAL_VALUE) {
            return new Result(orig, 0, true, true, 0, 0, false, description);
        }
        return new Result(orig, enumValue(targSpec, kind), false, true, 0, 0, false, description);
    }

    private FieldValue field(Spec spec, CoreKind kind) {
        if (kind == CoreKind.FIELD_EXISTS) {
            return new FieldValue(spec != null ? 1 : 0, 0, 0, true, false);
        }
        if (spec == null) {
            return new FieldValue(0, 0, 0, true, true);
        }
        Accessor acc = spec.acc.getLast();
        if (acc.name() == null) {
            long sz = size(spec.btf, acc.typeId(), "array element");
            return switch (kind) {
                case FIELD_BYTE_OFFSET -> new FieldValue(spec.bitOffset / 8, (int) sz, acc.typeId(), true, false);
                case FIELD_BYTE_SIZE -> new FieldValue(sz, 0, 0, true, false);
                default -> throw new CoreException("relocation " + kind.shortName() + " cannot be applied to an array access");
            };
        }
        BtfType.Struct st = (BtfType.Struct) spec.btf.type(acc.typeId());
        BtfType.Member m = st.members().get(acc.idx());
        int fieldTypeId = skip(spec.btf, m.type());
        BtfType mt = type(spec.btf, fieldTypeId);
        long bitOff = spec.bitOffset;
        long bitSz = m.bitfieldSize();
        boolean bitfield = bitSz > 0;
        long byteSz;
        long byteOff;
        if (bitfield) {
            byteSz = switch (mt) {
                case BtfType.Int i -> i.size();
                case BtfType.Enum e -> e.size();
                case null, default -> throw new CoreException("bitfield '" + m.name() + "' is neither an integer nor an enum");
            };
            if (byteSz <= 0) {
                throw new CoreException("bitfield '" + m.name() + "' has an empty type");
            }
            byteOff = bitOff / 8 / byteSz * byteSz;
            while (bitOff + bitSz - byteOff * 8 > byteSz * 8) {
                if (byteSz >= 8) {
                    throw new CoreException("bitfield '" + m.name() + "' cannot be read with a 64-bit load");
                }
                byteSz *= 2;
                byteOff = bitOff / 8 / byteSz * byteSz;
            }
        } else {
            byteSz = size(spec.btf, fieldTypeId, m.name());
            byteOff = bitOff / 8;
            bitSz = byteSz * 8;
        }
        return switch (kind) {
            case FIELD_BYTE_OFFSET -> new FieldValue(byteOff, bitfield ? 0 : (int) byteSz, bitfield ? 0 : fieldTypeId, !bitfield, false);
            case FIELD_BYTE_SIZE -> new FieldValue(byteSz, 0, 0, !bitfield, false);
            case FIELD_SIGNED -> new FieldValue((mt instanceof BtfType.Enum e && e.signed()) || (mt instanceof BtfType.Int i && i.signed()) ? 1 : 0,
                    0, 0, true, false);
            // Little-endian: the field's bits end at bitOff + bitSz within the loaded bytes.
            case FIELD_LSHIFT_U64 -> new FieldValue(64 - (bitOff + bitSz - byteOff * 8), 0, 0, !bitfield, false);
            case FIELD_RSHIFT_U64 -> new FieldValue(64 - bitSz, 0, 0, true, false);
            default -> throw new CoreException("unsupported field relocation " + kind);
        };
    }

    private long typeValue(Spec spec, CoreKind kind) {
        if (spec == null) {
            return 0;
        }
        return switch (kind) {
            case TYPE_ID_TARGET -> spec.rootTypeId;
            case TYPE_EXISTS, TYPE_MATCHES -> 1;
            case TYPE_SIZE -> size(spec.btf, spec.rootTypeId, "type");
            default -> throw new CoreException("unsupported type relocation " + kind);
        };
    }

    private static long enumValue(Spec spec, CoreKind kind) {
        if (kind == CoreKind.ENUMVAL_EXISTS) {
            return spec != null ? 1 : 0;
        }
        Accessor a = spec.acc.getFirst();
        BtfType.Enum e = (BtfType.Enum) spec.btf.type(a.typeId());
        long v = e.values().get(a.idx()).value();
        // libbpf reads a 32-bit enumerator as __s32, so it reaches 64 bits sign-extended.
        return e.wide() ? v : (long) (int) v;
    }

    // ---- BTF access --------------------------------------------------------------------------------

    private void step() {
        if (++steps > STEP_BUDGET) {
            throw new CoreException("CO-RE type matching took too many steps (crafted BTF?)");
        }
    }

    private static int skip(Btf btf, int id) {
        try {
            return btf.skipAliases(id);
        } catch (IllegalArgumentException e) {
            throw new CoreException(e.getMessage());
        }
    }

    private static BtfType type(Btf btf, int id) {
        return id == 0 ? null : btf.type(id);
    }

    private static boolean kindCompat(BtfType a, BtfType b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.kind() == b.kind() || (a instanceof BtfType.Enum && b instanceof BtfType.Enum);
    }

    /** Length of a name without its {@code ___flavor} suffix (libbpf's bpf_core_essential_name_len). */
    static int essentialLength(String name) {
        for (int i = name.length() - 5; i >= 0; i--) {
            if (name.charAt(i) != '_' && name.charAt(i + 1) == '_' && name.charAt(i + 2) == '_'
                    && name.charAt(i + 3) == '_' && name.charAt(i + 4) != '_') {
                return i + 1;
            }
        }
        return name.length();
    }
}

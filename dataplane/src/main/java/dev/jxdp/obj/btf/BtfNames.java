package dev.jxdp.obj.btf;

import java.util.ArrayList;
import java.util.List;

/**
 * C spellings of BTF types as bpftool prints them in {@code prog dump ... linum} function headers:
 * {@code int xdp_pass(struct xdp_md * ctx)}, pointers with a space before the star, qualifiers in
 * front. Bounded: loops of typedefs or pointers end in "..." rather than recursing forever.
 */
public final class BtfNames {
    private BtfNames() {}

    private static final int MAX_DEPTH = 16;

    /** The C name of a type: {@code void}, {@code __u32}, {@code struct xdp_md *}, {@code const char *}. */
    public static String typeName(Btf btf, int id) {
        return name(btf, id, 0);
    }

    private static String name(Btf btf, int id, int depth) {
        if (id == 0) {
            return "void";
        }
        if (depth > MAX_DEPTH || id < 0 || id >= btf.types().size()) {
            return "...";
        }
        return switch (btf.type(id)) {
            case BtfType.Int i -> i.name();
            case BtfType.Float f -> f.name();
            case BtfType.Ptr p -> name(btf, p.type(), depth + 1) + " *";
            case BtfType.Struct s -> (s.union() ? "union " : "struct ") + anon(s.name());
            case BtfType.Enum e -> "enum " + anon(e.name());
            case BtfType.Fwd f -> (f.union() ? "union " : "struct ") + f.name();
            case BtfType.Alias a -> switch (a.kind()) {
                case BtfType.KIND_TYPEDEF -> a.name();
                case BtfType.KIND_CONST -> "const " + name(btf, a.type(), depth + 1);
                case BtfType.KIND_VOLATILE -> "volatile " + name(btf, a.type(), depth + 1);
                case BtfType.KIND_RESTRICT -> name(btf, a.type(), depth + 1) + " restrict";
                default -> name(btf, a.type(), depth + 1);
            };
            case BtfType.Array a -> name(btf, a.elementType(), depth + 1) + "[" + Integer.toUnsignedString(a.length()) + "]";
            case BtfType.FuncProto p -> name(btf, p.returnType(), depth + 1) + " (*)(...)";
            case BtfType.Func f -> f.name();
            case BtfType.Var v -> v.name();
            case BtfType.Datasec d -> d.name();
            case BtfType.DeclTag t -> name(btf, t.type(), depth + 1);
        };
    }

    private static String anon(String name) {
        return name.isEmpty() ? "(anon)" : name;
    }

    /** {@code int xdp_pass(struct xdp_md * ctx)} for a BTF FUNC, or null when {@code funcId} is no FUNC. */
    public static String signature(Btf btf, int funcId) {
        if (funcId <= 0 || funcId >= btf.types().size() || !(btf.type(funcId) instanceof BtfType.Func f)) {
            return null;
        }
        if (f.type() <= 0 || f.type() >= btf.types().size() || !(btf.type(f.type()) instanceof BtfType.FuncProto proto)) {
            return null;
        }
        List<String> params = new ArrayList<>();
        for (BtfType.Param p : proto.params()) {
            params.add(p.type() == 0 && p.name().isEmpty() ? "..." : typeName(btf, p.type()) + (p.name().isEmpty() ? "" : " " + p.name()));
        }
        return typeName(btf, proto.returnType()) + " " + f.name() + "(" + String.join(", ", params) + ")";
    }
}

package dev.jxdp.verifier;

import dev.jxdp.helpers.HelperProto;
import dev.jxdp.helpers.HelperProtos;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.Instruction;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfExt;
import dev.jxdp.obj.btf.BtfType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the BTF says about each function of the program (the kernel's func_info_aux and
 * btf_prepare_func_args): whether it is global, and for a global one the register types its arguments
 * get when it is verified on its own. A global function is checked once against its signature rather
 * than at every call, so its callers learn only that it returns an unknown scalar.
 */
final class FuncSignatures {
    /** MAX_BPF_FUNC_REG_ARGS. */
    private static final int MAX_ARGS = 5;

    /** How one argument register starts in a global function, and what a caller must pass. */
    sealed interface Arg {
        /** ARG_ANYTHING: an int or enum, unknown to the function. */
        record Scalar() implements Arg {}

        /** ARG_PTR_TO_CTX: a pointer to the program type's context struct. */
        record Ctx() implements Arg {}

        /** ARG_PTR_TO_MEM | PTR_MAYBE_NULL: {@code size} bytes of memory (the pointee's size), or NULL. */
        record Mem(int size) implements Arg {}
    }

    /**
     * One function.
     *
     * @param problem null if the signature is usable; else the kernel's message refusing it (a global
     *     function whose callers are then refused)
     */
    record Sig(int subprog, String name, boolean global, List<Arg> args, String problem) {}

    private final Sig[] sigs;
    /** Per subprogram: it, or a function it calls, may move or resize the packet. */
    private final boolean[] changesPacketData;

    private FuncSignatures(Sig[] sigs, boolean[] changesPacketData) {
        this.sigs = sigs;
        this.changesPacketData = changesPacketData;
    }

    static FuncSignatures of(VerifierInput in, Cfg cfg, HelperProtos.Family family) {
        int n = cfg.subprogCount();
        Sig[] sigs = new Sig[n];
        Map<Integer, Integer> typeAt = new HashMap<>();
        for (BtfExt.FuncInfo fi : in.funcInfo()) {
            typeAt.put(fi.insn(), fi.typeId());
        }
        if (n > 1 && in.btfFuncInfo() && in.btf() == null) {
            // Without the BTF a global function would be taken for a static one and checked only with its
            // callers' arguments: accepting what the kernel refuses. Say so instead.
            throw new Reject(Reject.EINVAL, -1, "the program has func_info but no BTF was given to the verifier: "
                    + "global functions cannot be told from static ones (verify it with VerifierInput.of(object, program))");
        }
        for (int s = 0; s < n; s++) {
            Integer typeId = typeAt.get(cfg.subprogStarts[s]);
            sigs[s] = in.btf() == null || typeId == null || typeId == 0 ? new Sig(s, "func#" + s, false, List.of(), null)
                    : signature(in.btf(), s, typeId, in.type());
        }
        return new FuncSignatures(sigs, packetChangers(in, cfg, family));
    }

    Sig get(int subprog) {
        return sigs[subprog];
    }

    boolean isGlobal(int subprog) {
        return subprog > 0 && sigs[subprog].global();
    }

    boolean changesPacketData(int subprog) {
        return changesPacketData[subprog];
    }

    private static Sig signature(Btf btf, int subprog, int typeId, ProgramType progType) {
        if (!(btf.type(typeId) instanceof BtfType.Func fn)) {
            return new Sig(subprog, "func#" + subprog, false, List.of(), null);
        }
        boolean global = fn.linkage() == BtfType.Func.GLOBAL;
        String name = fn.name();
        if (!global) {
            return new Sig(subprog, name, false, List.of(), null);
        }
        if (!(btf.type(fn.type()) instanceof BtfType.FuncProto proto)) {
            return new Sig(subprog, name, true, List.of(), "Invalid type of function " + name + "()");
        }
        int nargs = proto.params().size();
        if (nargs > MAX_ARGS) {
            return new Sig(subprog, name, true, List.of(), "Global function " + name + "() with " + nargs + " > " + MAX_ARGS
                    + " args. Buggy compiler.");
        }
        int ret = btf.skipAliases(proto.returnType());
        if (ret == 0 || !(btf.type(ret) instanceof BtfType.Int || btf.type(ret) instanceof BtfType.Enum)) {
            return new Sig(subprog, name, true, List.of(),
                    "Global function " + name + "() doesn't return scalar. Only those are supported.");
        }
        if (hasArgTags(btf, typeId)) {
            return new Sig(subprog, name, true, List.of(), "jxdp does not support 'arg:' decl tags on the arguments of global function "
                    + name + "() yet");
        }
        List<Arg> args = new ArrayList<>();
        for (int i = 0; i < nargs; i++) {
            int t = btf.skipAliases(proto.params().get(i).type());
            BtfType type = t == 0 ? null : btf.type(t);
            if (type instanceof BtfType.Ptr p) {
                if (isCtx(btf, p, progType)) {
                    args.add(new Arg.Ctx());
                    continue;
                }
                int pointee = btf.skipAliases(p.type());
                long size = btf.sizeOf(pointee);
                if (size < 0) {
                    BtfType pt = pointee == 0 ? null : btf.type(pointee);
                    return new Sig(subprog, name, true, List.of(), "arg#" + i + " reference type('" + kindName(pt) + " "
                            + (pt == null ? "" : pt.name()) + "') size cannot be determined: -22");
                }
                args.add(new Arg.Mem((int) size));
                continue;
            }
            if (type instanceof BtfType.Int || type instanceof BtfType.Enum) {
                args.add(new Arg.Scalar());
                continue;
            }
            return new Sig(subprog, name, true, List.of(), "Arg#" + i + " type " + kindName(type) + " in " + name
                    + "() is not supported yet.");
        }
        return new Sig(subprog, name, true, List.copyOf(args), null);
    }

    /** btf_get_prog_ctx_type: a pointer to the context struct of the program type, by name. */
    private static boolean isCtx(Btf btf, BtfType.Ptr p, ProgramType progType) {
        int id = p.type();
        // qualifiers (const, volatile) are skipped, typedefs are not
        while (id != 0 && btf.type(id) instanceof BtfType.Alias a && a.kind() != BtfType.KIND_TYPEDEF) {
            id = a.type();
        }
        if (id == 0 || !(btf.type(id) instanceof BtfType.Struct s) || s.union()) {
            return false;
        }
        return switch (progType) {
            case XDP -> s.name().equals("xdp_md") || s.name().equals("xdp_buff");
            case SCHED_CLS, SCHED_ACT -> s.name().equals("__sk_buff") || s.name().equals("sk_buff");
            default -> false;
        };
    }

    private static boolean hasArgTags(Btf btf, int funcId) {
        for (BtfType t : btf.types()) {
            if (t instanceof BtfType.DeclTag d && d.type() == funcId && d.componentIndex() >= 0 && d.name().startsWith("arg:")) {
                return true;
            }
        }
        return false;
    }

    /** btf_type_str. */
    private static String kindName(BtfType t) {
        if (t == null) {
            return "UNKNOWN";
        }
        return switch (t) {
            case BtfType.Int i -> "INT";
            case BtfType.Ptr p -> "PTR";
            case BtfType.Array a -> "ARRAY";
            case BtfType.Struct s -> s.union() ? "UNION" : "STRUCT";
            case BtfType.Enum e -> e.wide() ? "ENUM64" : "ENUM";
            case BtfType.Fwd f -> "FWD";
            case BtfType.Alias a -> switch (a.kind()) {
                case BtfType.KIND_TYPEDEF -> "TYPEDEF";
                case BtfType.KIND_VOLATILE -> "VOLATILE";
                case BtfType.KIND_CONST -> "CONST";
                case BtfType.KIND_RESTRICT -> "RESTRICT";
                default -> "TYPE_TAG";
            };
            case BtfType.Func f -> "FUNC";
            case BtfType.FuncProto f -> "FUNC_PROTO";
            case BtfType.Var v -> "VAR";
            case BtfType.Datasec d -> "DATASEC";
            case BtfType.Float f -> "FLOAT";
            case BtfType.DeclTag d -> "DECL_TAG";
        };
    }

    /**
     * The kernel's changes_pkt_data per subprogram (check_cfg, merged from callees): a call to a
     * function that may move the packet invalidates the caller's packet pointers even when the
     * function is global and not explored from the call.
     */
    private static boolean[] packetChangers(VerifierInput in, Cfg cfg, HelperProtos.Family family) {
        int n = cfg.subprogCount();
        boolean[] own = new boolean[n];
        for (int pc = 0; pc < in.code().length(); pc++) {
            Instruction insn = in.code().at(pc);
            if (insn instanceof Call call && call.kind() == CallKind.HELPER
                    && HelperProtos.forFamily(call.imm(), family).map(HelperProto::changesPacketData).orElse(false)) {
                own[cfg.subprogOf[pc]] = true;
            }
        }
        boolean[] all = own.clone();
        for (boolean changed = true; changed; ) {
            changed = false;
            for (int s = 0; s < n; s++) {
                if (all[s]) {
                    continue;
                }
                for (int callee : cfg.callees.get(s)) {
                    if (all[callee]) {
                        all[s] = true;
                        changed = true;
                        break;
                    }
                }
            }
        }
        return all;
    }
}

package dev.jxdp.verifier;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.obj.AttachType;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import dev.jxdp.obj.btf.Btf;
import dev.jxdp.obj.btf.BtfExt;
import java.util.List;
import java.util.Objects;

/**
 * What the verifier checks: linked code whose map references are LD_IMM64 instructions in the
 * loader's shapes ({@link ProgramSpec}: {@code BPF_PSEUDO_MAP_FD} and {@code BPF_PSEUDO_MAP_VALUE} with
 * imm = the map's index in {@code maps}), the program type, and the license's GPL compatibility.
 *
 * @param btf the object's BTF, which says which functions are global and what their signatures are;
 *     null when the caller has none (then a program whose func_info names functions is refused, since
 *     the kernel would need the BTF to load it)
 * @param funcInfo BTF.ext func_info of the linked code (one per function), empty without it
 * @param expectedAttachType BPF_PROG_LOAD's expected_attach_type (null: none); BPF_XDP_DEVMAP programs
 *     may read xdp_md.egress_ifindex
 */
public record VerifierInput(String name, Bytecode code, ProgramType type, List<MapSpec> maps, boolean gplCompatible,
                            boolean btfFuncInfo, Btf btf, List<BtfExt.FuncInfo> funcInfo, AttachType expectedAttachType) {
    public VerifierInput {
        Objects.requireNonNull(name);
        Objects.requireNonNull(code);
        Objects.requireNonNull(type);
        maps = List.copyOf(maps);
        funcInfo = List.copyOf(funcInfo);
    }

    /** Without BTF: for raw instructions and hand-assembled programs. */
    public VerifierInput(String name, Bytecode code, ProgramType type, List<MapSpec> maps, boolean gplCompatible,
                         boolean btfFuncInfo) {
        this(name, code, type, maps, gplCompatible, btfFuncInfo, null, List.of(), null);
    }

    /** A program without its object's BTF: global functions cannot be told from static ones (see {@link #btf}). */
    public static VerifierInput of(ProgramSpec program, List<MapSpec> maps) {
        return new VerifierInput(program.name(), program.code(), program.type(), maps, program.gplCompatible(),
                !program.funcInfo().isEmpty(), null, program.funcInfo(), program.expectedAttachType());
    }

    public static VerifierInput of(ObjectSpec object, ProgramSpec program) {
        return new VerifierInput(program.name(), program.code(), program.type(), object.maps(), program.gplCompatible(),
                !program.funcInfo().isEmpty(), object.btf(), program.funcInfo(), program.expectedAttachType());
    }

    public VerifierInput withType(ProgramType t) {
        return new VerifierInput(name, code, t, maps, gplCompatible, btfFuncInfo, btf, funcInfo, expectedAttachType);
    }
}

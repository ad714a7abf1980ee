package dev.jxdp.verifier;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.obj.AttachType;
import dev.jxdp.obj.MapSpec;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.ProgramType;
import java.util.List;
import java.util.Objects;

/**
 * What the verifier checks: linked code whose map references are LD_IMM64 instructions in the
 * loader's shapes ({@link ProgramSpec}: {@code BPF_PSEUDO_MAP_FD} and {@code BPF_PSEUDO_MAP_VALUE} with
 * imm = the map's index in {@code maps}), the program type, and the license's GPL compatibility.
 *
 * @param expectedAttachType BPF_PROG_LOAD's expected_attach_type (null: none); BPF_XDP_DEVMAP programs
 *     may read xdp_md.egress_ifindex
 */
public record VerifierInput(String name, Bytecode code, ProgramType type, List<MapSpec> maps, boolean gplCompatible,
                            boolean btfFuncInfo, AttachType expectedAttachType) {
    public VerifierInput {
        Objects.requireNonNull(name);
        Objects.requireNonNull(code);
        Objects.requireNonNull(type);
        maps = List.copyOf(maps);
    }

    public VerifierInput(String name, Bytecode code, ProgramType type, List<MapSpec> maps, boolean gplCompatible,
                         boolean btfFuncInfo) {
        this(name, code, type, maps, gplCompatible, btfFuncInfo, null);
    }

    public static VerifierInput of(ProgramSpec program, List<MapSpec> maps) {
        return new VerifierInput(program.name(), program.code(), program.type(), maps, program.gplCompatible(),
                !program.funcInfo().isEmpty(), program.expectedAttachType());
    }

    public static VerifierInput of(ObjectSpec object, ProgramSpec program) {
        return of(program, object.maps());
    }

    public VerifierInput withType(ProgramType t) {
        return new VerifierInput(name, code, t, maps, gplCompatible, btfFuncInfo, expectedAttachType);
    }
}

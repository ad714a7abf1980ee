package dev.jxdp.obj;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.obj.btf.BtfExt;
import java.util.List;

/**
 * One loadable program of an object, linked as libbpf links it: its own function first, then every
 * function it calls (directly, through a function pointer, or transitively) appended once, in the
 * order in which a depth-first walk of the calls first reaches them. Calls and function-address loads
 * hold offsets within this program.
 *
 * <p>Map references are LD_IMM64 instructions in libbpf's shapes, with the index of the map in
 * {@link ObjectSpec#maps()} where libbpf puts a file descriptor: {@code BPF_PSEUDO_MAP_FD} (src 1)
 * with imm = map index for a map, {@code BPF_PSEUDO_MAP_VALUE} (src 2) with imm = map index and the
 * second slot's imm = byte offset into the value for global data. A loader for the kernel replaces
 * the indexes with descriptors; {@link ProgramTag} zeroes them as the kernel does.
 *
 * @param name the function's name (the kernel keeps the first 15 bytes: {@link #kernelName()})
 * @param section the ELF section it came from (without libbpf's leading {@code ?})
 * @param expectedAttachType what libbpf passes as expected_attach_type, or null for none
 * @param flags BPF_PROG_LOAD prog_flags libbpf would set ({@link #F_XDP_HAS_FRAGS})
 * @param autoload false for sections named {@code ?...}, which libbpf leaves unloaded by default
 * @param code the linked instructions
 * @param functions the functions in {@code code}, this program's own first
 * @param funcInfo BTF.ext func_info re-based to {@code code} (empty without BTF.ext)
 * @param lineInfo BTF.ext line_info re-based to {@code code}, sorted by instruction
 * @param mapIndexes the maps the code refers to, as indexes into {@link ObjectSpec#maps()}, in the
 *     order of their first reference (the order of the kernel's used_maps and bpftool's map_ids)
 * @param license the object's license string
 * @param gplCompatible whether the kernel treats the license as GPL-compatible
 * @param unresolvedCore CO-RE relocations that could not be resolved and whose instructions were
 *     poisoned as libbpf poisons them (only with {@link LoadOptions#allowUnresolvedCore()})
 */
public record ProgramSpec(
        String name,
        String section,
        ProgramType type,
        AttachType expectedAttachType,
        int flags,
        boolean autoload,
        Bytecode code,
        List<Function> functions,
        List<BtfExt.FuncInfo> funcInfo,
        List<BtfExt.LineInfo> lineInfo,
        List<Integer> mapIndexes,
        String license,
        boolean gplCompatible,
        List<PoisonedRelocation> unresolvedCore) {

    /** BPF_F_XDP_HAS_FRAGS, set for {@code xdp.frags} sections. */
    public static final int F_XDP_HAS_FRAGS = 1 << 5;

    public ProgramSpec {
        functions = List.copyOf(functions);
        funcInfo = List.copyOf(funcInfo);
        lineInfo = List.copyOf(lineInfo);
        mapIndexes = List.copyOf(mapIndexes);
        unresolvedCore = List.copyOf(unresolvedCore);
    }

    /** A function placed in the linked program: slots {@code [start, start + length)}. */
    public record Function(String name, String section, int start, int length) {}

    /**
     * A CO-RE relocation left unresolved: the instruction at {@code insn} (of the linked program) was
     * replaced by a call to helper 0xbad2310, as libbpf does, so that the program fails only if it can
     * reach it.
     */
    public record PoisonedRelocation(int insn, String description) {}

    /** The tag bpftool shows for this program on the reference kernel (6.18, SHA-256). */
    public String tag() {
        return ProgramTag.of(code, ProgramTag.DEFAULT);
    }

    public String tag(ProgramTag.Algorithm algorithm) {
        return ProgramTag.of(code, algorithm);
    }

    /** The name as the kernel stores it and bpftool shows it: the first 15 bytes. */
    public String kernelName() {
        return MapSpec.kernelName(name);
    }

    /** Number of 8-byte instruction slots (what the kernel counts as insn_cnt). */
    public int slotCount() {
        return code.length();
    }

    /** The function that slot {@code pc} belongs to. */
    public Function functionAt(int pc) {
        Function found = null;
        for (Function f : functions) {
            if (f.start() <= pc && pc < f.start() + f.length()) {
                found = f;
            }
        }
        return found;
    }
}

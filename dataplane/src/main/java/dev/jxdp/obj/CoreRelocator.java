package dev.jxdp.obj;

import dev.jxdp.isa.Alu;
import dev.jxdp.isa.Atomic;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.Load;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.Operand;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.isa.Size;
import dev.jxdp.isa.Store;
import dev.jxdp.isa.StoreReg;
import dev.jxdp.obj.btf.BtfExt;
import dev.jxdp.obj.core.CoreException;
import dev.jxdp.obj.core.CoreKind;
import dev.jxdp.obj.core.CoreResolver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the CO-RE relocations of {@code .BTF.ext} to a code section before anything else touches it
 * (libbpf does them first too), patching instructions as libbpf's bpf_core_patch_insn does: the imm
 * of an ALU instruction with a constant operand, the offset of a load or store (and its width when the
 * field's size differs and the value read stays the same), or both imms of a 64-bit immediate load. The
 * instruction must still hold the value the compiler computed for the local type, else the relocation
 * is refused as libbpf refuses it.
 *
 * <p>A relocation that cannot be resolved (no such field or enumerator in the target) is refused at
 * load; with {@link LoadOptions#allowUnresolvedCore()} the instruction is poisoned instead, as libbpf
 * does, with a call to helper 0xbad2310 that fails only if the program can reach it.
 */
final class CoreRelocator {
    private CoreRelocator() {}

    /** libbpf's poison: {@code call 0xbad2310} (195896080), an id no helper has. */
    static final int POISON_HELPER = 0xbad2310;

    /** Relocates a section's slots in place; returns the poisoned slots and what each was. */
    static Map<Integer, String> apply(LoadContext ctx, CodeSection cs) {
        Map<Integer, String> poisoned = new HashMap<>();
        if (ctx.btfExt == null) {
            return poisoned;
        }
        List<BtfExt.CoreRelocation> relos = ctx.btfExt.coreRelocations().getOrDefault(cs.section.name(), List.of());
        if (relos.isEmpty()) {
            return poisoned;
        }
        CoreResolver resolver = new CoreResolver(ctx.btf, ctx.btf, true);
        ElfSection s = cs.section;
        for (int n = 0; n < relos.size(); n++) {
            BtfExt.CoreRelocation relo = relos.get(n);
            int pc = relo.insn();
            if (pc < 0 || pc >= cs.slots.length || cs.slots[pc] == null) {
                throw ctx.format(s, Math.min(s.size(), Math.max(0, pc) * 8L), "CO-RE relocation #" + n + " is for insn " + pc
                        + ", which is not an instruction of the section");
            }
            CoreKind kind = CoreKind.of(relo.kind());
            if (kind == null) {
                throw ctx.format(s, pc * 8L, "insn " + pc + ": CO-RE relocation #" + n + " has unknown kind " + relo.kind());
            }
            CoreResolver.Result r;
            try {
                r = resolver.resolve(relo.typeId(), relo.accessSpec(), kind);
            } catch (CoreException | IllegalArgumentException | ArithmeticException e) {
                throw ctx.format(s, pc * 8L, "insn " + pc + ": CO-RE relocation #" + n + ": " + e.getMessage());
            }
            String what = "CO-RE relocation #" + n + " " + r.description();
            if (r.poison()) {
                poison(ctx, cs, pc, what + " has no match in the program's BTF", poisoned);
                continue;
            }
            cs.slots[pc] = patch(ctx, cs, pc, cs.slots[pc], r, what, poisoned);
        }
        return poisoned;
    }

    private static void poison(LoadContext ctx, CodeSection cs, int pc, String why, Map<Integer, String> poisoned) {
        if (!ctx.options.allowUnresolvedCore()) {
            throw ctx.refused(cs.section, pc * 8L, "insn " + pc + ": cannot resolve " + why
                    + " (allow unresolved CO-RE relocations to poison the instruction as libbpf does, if a bpf_core_*_exists() check guards it)");
        }
        if (cs.slots[pc] instanceof LoadImm64) {
            cs.slots[pc + 1] = Call.helper(POISON_HELPER);
        }
        cs.slots[pc] = Call.helper(POISON_HELPER);
        poisoned.put(pc, why);
    }

    private static Instruction patch(LoadContext ctx, CodeSection cs, int pc, Instruction insn, CoreResolver.Result r, String what,
            Map<Integer, String> poisoned) {
        ElfSection s = cs.section;
        long orig = r.origValue();
        long now = r.newValue();
        switch (insn) {
            case Alu a -> {
                if (!(a.src() instanceof Operand.Imm(int imm))) {
                    throw ctx.format(s, pc * 8L, "insn " + pc + ": " + what + " applies to an ALU instruction without a constant operand");
                }
                if (r.validate() && Integer.toUnsignedLong(imm) != (orig & 0xffffffffL)) {
                    throw ctx.format(s, pc * 8L, "insn " + pc + ": " + what + ": unexpected ALU value: got " + Integer.toUnsignedString(imm)
                            + ", expected " + orig + " -> " + now);
                }
                return new Alu(a.alu64(), a.op(), a.dst(), Operand.imm((int) now));
            }
            case Load l -> {
                return memory(ctx, cs, pc, insn, l.offset(), l.size(), r, what, poisoned);
            }
            case Store st -> {
                return memory(ctx, cs, pc, insn, st.offset(), st.size(), r, what, poisoned);
            }
            case StoreReg st -> {
                return memory(ctx, cs, pc, insn, st.offset(), st.size(), r, what, poisoned);
            }
            case Atomic at -> {
                return memory(ctx, cs, pc, insn, at.offset(), at.size(), r, what, poisoned);
            }
            case LoadImm64 l -> {
                if (l.source() != PseudoSource.VALUE) {
                    throw ctx.format(s, pc * 8L, "insn " + pc + ": " + what + ": 64-bit load has unexpected form (src_reg " + l.source().code + ")");
                }
                if (r.validate() && l.value() != orig) {
                    throw ctx.format(s, pc * 8L, "insn " + pc + ": " + what + ": unexpected 64-bit load value: got " + l.value()
                            + ", expected " + orig + " -> " + now);
                }
                return LoadImm64.of(l.dst(), now);
            }
            default -> throw ctx.format(s, pc * 8L, "insn " + pc + ": " + what + " applies to an instruction it cannot relocate");
        }
    }

    private static Instruction memory(LoadContext ctx, CodeSection cs, int pc, Instruction insn, int off, Size size, CoreResolver.Result r,
            String what, Map<Integer, String> poisoned) {
        ElfSection s = cs.section;
        if (r.validate() && off != r.origValue()) {
            throw ctx.format(s, pc * 8L, "insn " + pc + ": " + what + ": unexpected memory offset: got " + off + ", expected "
                    + r.origValue() + " -> " + r.newValue());
        }
        if (r.newValue() > Short.MAX_VALUE || r.newValue() < Short.MIN_VALUE) {
            throw ctx.format(s, pc * 8L, "insn " + pc + ": " + what + ": offset " + r.newValue() + " does not fit a load or store");
        }
        if (r.failMemSizeAdjust()) {
            poison(ctx, cs, pc, what + " accesses a field whose size differs and cannot be adjusted (use pointers, unsigned integers, or fields of matching type and size)",
                    poisoned);
            return cs.slots[pc];
        }
        int newOff = (int) r.newValue();
        Size newSize = size;
        if (r.newSize() != r.origSize()) {
            if (size.bytes != r.origSize()) {
                throw ctx.format(s, pc * 8L, "insn " + pc + ": " + what + ": unexpected memory size " + size.bytes + ", expected " + r.origSize());
            }
            newSize = switch (r.newSize()) {
                case 1 -> Size.B;
                case 2 -> Size.H;
                case 4 -> Size.W;
                case 8 -> Size.DW;
                default -> throw ctx.format(s, pc * 8L, "insn " + pc + ": " + what + ": invalid new memory size " + r.newSize());
            };
        }
        try {
            return switch (insn) {
                case Load l -> new Load(newSize, l.signed(), l.dst(), l.src(), newOff);
                case Store st -> new Store(newSize, st.dst(), newOff, st.imm());
                case StoreReg st -> new StoreReg(newSize, st.dst(), st.src(), newOff);
                case Atomic at -> new Atomic(newSize, at.op(), at.fetch(), at.dst(), at.src(), newOff);
                default -> throw new IllegalStateException();
            };
        } catch (IllegalArgumentException e) {
            throw ctx.format(s, pc * 8L, "insn " + pc + ": " + what + ": " + e.getMessage());
        }
    }
}

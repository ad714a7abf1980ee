package dev.jxdp.obj;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.DecodeException;
import dev.jxdp.isa.Decoder;
import dev.jxdp.isa.Instruction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An executable section, decoded into slots that relocation and CO-RE patch in place, and split into
 * its functions. Function symbols mark the functions; in {@code .text} all of them are subprograms,
 * in other sections the global ones are programs and the static ones subprograms (libbpf 1.x
 * refuses static functions outside .text; the issue asks for them to be linkable).
 */
final class CodeSection {
    final ElfSection section;
    /** The instruction starting at each slot; null for the second slot of a 64-bit immediate load. */
    final Instruction[] slots;
    final List<Function> functions;

    /** A function of the section: slots {@code [start, start + length)}. */
    record Function(String name, CodeSection code, int start, int length, boolean entry) {
        ElfSection section() {
            return code.section;
        }
    }

    private CodeSection(ElfSection section, Instruction[] slots, List<Function> functions) {
        this.section = section;
        this.slots = slots;
        this.functions = functions;
    }

    static boolean isCode(ElfSection s) {
        return s.isExecutable() && s.type() == ElfSection.SHT_PROGBITS && s.size() > 0;
    }

    static CodeSection read(LoadContext ctx, ElfSection s) {
        if (s.size() % 8 != 0) {
            throw ctx.format(s, s.size() - s.size() % 8, "code section size " + s.size() + " is not a multiple of 8 (truncated instruction)");
        }
        Bytecode code;
        try {
            code = Decoder.decodeUnlinked(ctx.elf.contents(s));
        } catch (DecodeException e) {
            throw ctx.format(s, Math.max(0, e.index()) * 8L, "insn " + e.index() + ": " + e.problem());
        }
        Instruction[] slots = new Instruction[code.length()];
        for (int pc = 0; pc < slots.length; pc++) {
            slots[pc] = code.at(pc);
        }
        CodeSection cs = new CodeSection(s, slots, new ArrayList<>());
        cs.functions.addAll(functions(ctx, cs));
        return cs;
    }

    private static List<Function> functions(LoadContext ctx, CodeSection cs) {
        ElfSection s = cs.section;
        boolean text = s.name().equals(".text");
        List<ElfSymbol> syms = new ArrayList<>();
        for (ElfSymbol sym : ctx.elf.symbols()) {
            if (sym.sectionIndex() == s.index() && sym.isFunction()) {
                syms.add(sym);
            }
        }
        syms.sort(Comparator.comparingLong(ElfSymbol::value));
        List<Function> out = new ArrayList<>();
        int n = cs.slots.length;
        if (syms.isEmpty()) {
            if (text) {
                return out;
            }
            // Hand-written or very old objects: one program over the whole section, named by a symbol
            // at its start, else by the section (what old loaders did).
            String name = s.name();
            for (ElfSymbol sym : ctx.elf.symbols()) {
                if (sym.sectionIndex() == s.index() && sym.value() == 0 && sym.type() == ElfSymbol.STT_NOTYPE
                        && sym.binding() != ElfSymbol.STB_LOCAL && !sym.name().isEmpty()) {
                    name = sym.name();
                    break;
                }
            }
            out.add(new Function(name, cs, 0, n, true));
            return out;
        }
        for (int i = 0; i < syms.size(); i++) {
            ElfSymbol sym = syms.get(i);
            long value = sym.value();
            long size = sym.size();
            if (Long.compareUnsigned(value, s.size()) >= 0 || value % 8 != 0) {
                throw ctx.format(s, 0, "function '" + sym.name() + "' at offset 0x" + Long.toHexString(value)
                        + " is not an instruction of section " + s.name() + " (0x" + Long.toHexString(s.size()) + " bytes)");
            }
            long end = size == 0 ? (i + 1 < syms.size() ? syms.get(i + 1).value() : s.size()) : value + size;
            if (Long.compareUnsigned(size, s.size() - value) > 0 || size % 8 != 0 || end <= value) {
                throw ctx.format(s, value, "function '" + sym.name() + "' of size 0x" + Long.toHexString(size)
                        + " crosses the end of section " + s.name() + " or is not whole instructions");
            }
            if (i + 1 < syms.size() && syms.get(i + 1).value() < end) {
                throw ctx.format(s, syms.get(i + 1).value(), "functions '" + sym.name() + "' and '" + syms.get(i + 1).name() + "' overlap");
            }
            int start = (int) (value / 8);
            int length = (int) ((end - value) / 8);
            if (cs.slots[start] == null || (start + length < n && cs.slots[start + length] == null)) {
                throw ctx.format(s, value, "function '" + sym.name() + "' starts or ends inside a 64-bit immediate load");
            }
            boolean entry = !text && sym.binding() != ElfSymbol.STB_LOCAL;
            out.add(new Function(sym.name(), cs, start, length, entry));
        }
        return out;
    }

    /** The function that starts exactly at a slot, or null. */
    Function functionStartingAt(long slot) {
        for (Function f : functions) {
            if (f.start() == slot) {
                return f;
            }
        }
        return null;
    }
}

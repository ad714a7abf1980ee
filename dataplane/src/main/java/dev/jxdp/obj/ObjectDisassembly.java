package dev.jxdp.obj;

import dev.jxdp.isa.DecodeException;
import dev.jxdp.isa.Decoder;
import dev.jxdp.isa.Disassembler;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.LoadImm64;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The text {@code llvm-objdump -d --no-show-raw-insn} prints for a BPF object: every executable
 * section with code, split at its symbols, jump targets annotated {@code <symbol+0x18>} the way
 * llvm-objdump annotates them (the last symbol of the section at or before the target).
 */
public final class ObjectDisassembly {
    private ObjectDisassembly() {}

    /**
     * @param displayName the file name as the user gave it (llvm-objdump prints it in the header)
     */
    public static String of(ElfFile elf, String displayName, Disassembler.Syntax syntax) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append(displayName).append(":\tfile format elf64-bpf\n");
        for (ElfSection section : elf.sections()) {
            if (!section.isExecutable() || section.size() == 0 || !section.hasFileData()) {
                continue;
            }
            out.append("\nDisassembly of section ").append(section.name()).append(":\n");
            List<ElfSymbol> labels = labels(elf, section);
            byte[] code = elf.contents(section);
            Disassembler dis = new Disassembler(syntax, target -> annotation(labels, target * 8));
            for (int i = 0; i < labels.size(); i++) {
                ElfSymbol label = labels.get(i);
                long end = i + 1 < labels.size() ? labels.get(i + 1).value() : code.length;
                out.append('\n').append(String.format("%016x <%s>:\n", label.value(), label.name()));
                appendRange(out, dis, code, label.value(), Math.min(end, code.length));
            }
        }
        return out.toString();
    }

    /** Symbols that label code: functions and plain symbols; the section's name when none starts it. */
    private static List<ElfSymbol> labels(ElfFile elf, ElfSection section) {
        List<ElfSymbol> labels = new ArrayList<>();
        for (ElfSymbol s : elf.symbolsIn(section)) {
            if (!s.isSection() && s.type() != ElfSymbol.STT_FILE && Long.compareUnsigned(s.value(), section.size()) < 0) {
                labels.add(s);
            }
        }
        if (labels.isEmpty() || labels.getFirst().value() != 0) {
            labels.addFirst(new ElfSymbol(-1, section.name(), ElfSymbol.STT_SECTION, 0, section.index(), 0, 0));
        }
        return labels;
    }

    private static String annotation(List<ElfSymbol> labels, long byteTarget) {
        ElfSymbol best = null;
        for (ElfSymbol s : labels) {
            if (Long.compareUnsigned(s.value(), byteTarget) <= 0) {
                best = s;
            }
        }
        if (best == null) {
            return null;
        }
        long delta = byteTarget - best.value();
        return delta == 0 ? "<" + best.name() + ">" : "<" + best.name() + "+0x" + Long.toHexString(delta) + ">";
    }

    private static void appendRange(StringBuilder out, Disassembler dis, byte[] code, long from, long to) {
        ByteBuffer in = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        long at = from;
        while (at + 8 <= to) {
            int pc = (int) (at / 8);
            long raw = in.getLong((int) at);
            String text;
            int slots = 1;
            try {
                Instruction insn;
                if ((raw & 0xff) == LoadImm64.OPCODE && at + 16 <= to) {
                    insn = Decoder.decodeWide(raw, in.getLong((int) at + 8), pc);
                    slots = 2;
                } else {
                    insn = Decoder.decodeSingle(raw, pc);
                }
                text = dis.format(insn, pc);
            } catch (DecodeException undecodable) {
                text = "<unknown>";
            }
            out.append(String.format("%8d:\t%s\n", pc, text));
            at += 8L * slots;
        }
    }
}

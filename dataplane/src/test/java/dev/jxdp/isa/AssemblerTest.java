package dev.jxdp.isa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.obj.ElfFile;
import dev.jxdp.obj.ElfSection;
import dev.jxdp.testing.Llvm;
import dev.jxdp.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class AssemblerTest {

    @ParameterizedTest
    @EnumSource(Disassembler.Syntax.class)
    void assemblesWhatTheDisassemblerPrints(Disassembler.Syntax syntax) {
        Disassembler dis = new Disassembler(syntax, target -> "<sym+0x" + Long.toHexString(target * 8) + ">");
        for (Instruction insn : InstructionCorpus.all()) {
            String text = dis.format(insn, 0);
            assertEquals(insn, Assembler.assembleUnlinked(text).at(0), text);
        }
    }

    @Test
    void agreesWithLlvmMc(@TempDir Path dir) throws Exception {
        assumeTrue(Llvm.mc().isPresent(), Llvm.missingReason());
        // Assemble the v4 text of every corpus instruction that LLVM's syntax expresses fully, with
        // llvm-mc and with jxdp, and compare the bytes.
        Disassembler dis = new Disassembler(Disassembler.Syntax.ALU32, null);
        List<Instruction> expressible = new ArrayList<>();
        StringBuilder text = new StringBuilder(".text\n");
        for (Instruction insn : InstructionCorpus.all()) {
            String line = dis.format(insn, 0);
            if (line.startsWith("call pc") || line.startsWith("call kfunc") || line.startsWith("ld_pseudo")
                    || line.contains("skb[r") && line.contains(" - ")
                    // llvm-mc 19 parses gotol offsets only as 16-bit numbers (labels are 32-bit).
                    || insn instanceof Goto g && g.wide() && (short) g.offset() != g.offset()) {
                continue;
            }
            expressible.add(insn);
            text.append(line).append('\n');
        }
        Path src = dir.resolve("text.s");
        Path obj = dir.resolve("text.o");
        Files.writeString(src, text);
        Llvm.run(List.of(Llvm.mc().orElseThrow().toString(), "-triple", "bpfel", "-mcpu=v4", "-filetype=obj", src.toString(), "-o", obj.toString()));
        ElfFile elf = ElfFile.parse(obj.toString(), Files.readAllBytes(obj));
        byte[] theirs = elf.contents(elf.section(".text").orElseThrow());
        byte[] ours = Assembler.assembleUnlinked(text.toString().replace(".text\n", "")).toBytes();
        assertEquals(Bytecode.of(expressible).length() * 8, theirs.length);
        List<Instruction> mine = Decoder.decodeUnlinked(ours).instructions();
        List<Instruction> llvm = Decoder.decodeUnlinked(theirs).instructions();
        for (int i = 0; i < mine.size(); i++) {
            assertEquals(llvm.get(i), mine.get(i), "instruction " + i + ": " + dis.format(expressible.get(i), 0));
        }
        assertArrayEquals(theirs, ours);
    }

    static Stream<Path> objects() {
        return Repo.programObjects().stream();
    }

    @ParameterizedTest
    @MethodSource("objects")
    void roundTripsEveryBundledObject(Path obj) throws Exception {
        ElfFile elf = ElfFile.parse(obj.toString(), Files.readAllBytes(obj));
        for (ElfSection s : elf.sections()) {
            if (!s.isExecutable() || s.size() == 0) {
                continue;
            }
            byte[] code = elf.contents(s);
            for (Disassembler.Syntax syntax : Disassembler.Syntax.values()) {
                Disassembler dis = new Disassembler(syntax, null);
                StringBuilder text = new StringBuilder();
                Decoder.decodeUnlinked(code).forEach((insn, pc) -> text.append(dis.format(insn, pc)).append('\n'));
                assertArrayEquals(code, Assembler.assembleUnlinked(text.toString()).toBytes(), obj.getFileName() + " section " + s.name());
            }
        }
    }

    @Test
    void labelsAndObjdumpDecorations() {
        Bytecode code = Assembler.assemble("""
                ; count down from 3
                    r0 = 0
                    r1 = 3
                loop:
                    r0 += r1        // accumulate
                    r1 -= 1
                    if r1 != 0 goto loop
                    call sub
                    exit
                sub:  r0 *= 2
                    exit
                      12:	goto +0x0 <xdp_prog+0x68>
                    exit
                """);
        assertEquals(List.of(
                new Alu(true, AluOp.MOV, 0, Operand.imm(0)),
                new Alu(true, AluOp.MOV, 1, Operand.imm(3)),
                new Alu(true, AluOp.ADD, 0, Operand.reg(1)),
                new Alu(true, AluOp.SUB, 1, Operand.imm(1)),
                new Jump(false, JumpOp.JNE, 1, Operand.imm(0), -3),
                Call.local(1),
                new Exit(),
                new Alu(true, AluOp.MUL, 0, Operand.imm(2)),
                new Exit(),
                Goto.of(0),
                new Exit()), code.instructions());
    }

    @Test
    void errorsNameTheLine() {
        assertEquals("line 2: undefined label 'nowhere'",
                assertThrows(AssemblyException.class, () -> Assembler.assemble("r0 = 0\ngoto nowhere\nexit")).getMessage());
        assertEquals("line 1: invalid register r11: r11 = 1",
                assertThrows(AssemblyException.class, () -> Assembler.assemble("r11 = 1")).getMessage());
        assertEquals("line 1: immediate 0x100000000 does not fit 32 bits: r1 += 0x100000000",
                assertThrows(AssemblyException.class, () -> Assembler.assemble("r1 += 0x100000000")).getMessage());
        assertEquals("line 1: operands mix 32- and 64-bit registers: w1 += r2",
                assertThrows(AssemblyException.class, () -> Assembler.assemble("w1 += r2")).getMessage());
        assertEquals("line 3: not an eBPF instruction: r1 ++",
                assertThrows(AssemblyException.class, () -> Assembler.assemble("r0 = 1\n\nr1 ++\nexit")).getMessage());
        assertEquals("line 1: jump out of range from insn 0 to 5",
                assertThrows(AssemblyException.class, () -> Assembler.assemble("goto +4\nexit")).getMessage());
        assertEquals("line 2: label 'a' is defined twice",
                assertThrows(AssemblyException.class, () -> Assembler.assemble("a: r0 = 1\na: exit")).getMessage());
        assertEquals("line 1: offset 40000 does not fit 16 bits: r0 = *(u8 *)(r1 + 40000)",
                assertThrows(AssemblyException.class, () -> Assembler.assemble("r0 = *(u8 *)(r1 + 40000)\nexit")).getMessage());
    }
}

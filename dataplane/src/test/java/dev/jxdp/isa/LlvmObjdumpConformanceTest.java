package dev.jxdp.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jxdp.obj.ElfFile;
import dev.jxdp.obj.ObjectDisassembly;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jxdp's disassembly against llvm-objdump-19's, line for line: on every instruction form of the
 * corpus (assembled into an object by llvm-mc from raw bytes) and on every object in programs/, with
 * llvm-objdump's default CPU and with --mcpu=v4.
 *
 * <p>Where jxdp prints what LLVM's text drops (see {@link Disassembler}), {@link #llvmForm} maps the
 * jxdp line to the line llvm-objdump prints, so those lines are still checked.
 */
class LlvmObjdumpConformanceTest {

    static Stream<Arguments> syntaxes() {
        return Stream.of(Arguments.of(Disassembler.Syntax.DEFAULT), Arguments.of(Disassembler.Syntax.ALU32));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syntaxes")
    void everyInstructionForm(Disassembler.Syntax syntax, @TempDir Path dir) throws Exception {
        assumeTrue(Llvm.objdump().isPresent() && Llvm.mc().isPresent(), Llvm.missingReason());
        List<Instruction> corpus = InstructionCorpus.all();
        Path obj = Llvm.assembleBytes(dir, "corpus", Bytecode.of(corpus).toBytes());
        String name = obj.toString();
        String ours = ObjectDisassembly.of(ElfFile.parse(name, Files.readAllBytes(obj)), name, syntax);
        compare(obj, ours, syntax);
    }

    static Stream<Arguments> objects() {
        List<Arguments> args = new ArrayList<>();
        for (Path p : Repo.programObjects()) {
            args.add(Arguments.of(p.getFileName().toString(), p, Disassembler.Syntax.DEFAULT));
            args.add(Arguments.of(p.getFileName().toString(), p, Disassembler.Syntax.ALU32));
        }
        return args.stream();
    }

    @Test
    void programsFolderHasObjects() {
        assertEquals(true, Repo.programObjects().size() >= 10,
                "programs/bin should hold at least 10 objects built by clang, found " + Repo.programObjects());
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("objects")
    void everyBundledObject(String name, Path obj, Disassembler.Syntax syntax) throws Exception {
        assumeTrue(Llvm.objdump().isPresent(), Llvm.missingReason());
        String ours = ObjectDisassembly.of(ElfFile.parse(obj.toString(), Files.readAllBytes(obj)), obj.toString(), syntax);
        compare(obj, ours, syntax);
    }

    private static void compare(Path obj, String ours, Disassembler.Syntax syntax) throws Exception {
        List<String> command = new ArrayList<>(List.of(Llvm.objdump().orElseThrow().toString(), "-d", "--no-show-raw-insn"));
        if (syntax == Disassembler.Syntax.ALU32) {
            command.add("--mcpu=v4");
        }
        command.add(obj.toString());
        List<String> theirs = Llvm.run(command).lines().toList();
        List<String> mine = ours.lines().map(LlvmObjdumpConformanceTest::llvmForm).toList();
        if (syntax == Disassembler.Syntax.DEFAULT) {
            mine = mine.stream().map(LlvmObjdumpConformanceTest::defaultCpuForm).toList();
        }
        for (int i = 0; i < Math.max(theirs.size(), mine.size()); i++) {
            String t = i < theirs.size() ? theirs.get(i) : "<end of output>";
            String m = i < mine.size() ? mine.get(i) : "<end of output>";
            assertEquals(t, m, obj.getFileName() + " line " + (i + 1) + " (llvm-objdump " + syntax + ")");
        }
    }

    /**
     * The llvm-objdump line for a jxdp line where jxdp prints more: a bpf-to-bpf call {@code call
     * pc-0x1} (LLVM: {@code call -0x1}), a kfunc call {@code call kfunc 0x3} ({@code call 0x3}),
     * {@code ld_pseudo} with a second imm (LLVM omits it), an indirect packet load's imm (LLVM omits it).
     */
    static String llvmForm(String line) {
        if (line.contains("\tcall pc")) {
            String off = line.substring(line.indexOf("call pc") + 7);
            return line.substring(0, line.indexOf("call pc")) + "call " + (off.startsWith("+") ? off.substring(1) : off);
        }
        if (line.contains("\tcall kfunc ")) {
            return line.replace("call kfunc ", "call ");
        }
        if (line.contains("ld_pseudo\t") && line.chars().filter(c -> c == ',').count() == 3) {
            return line.substring(0, line.lastIndexOf(','));
        }
        if (line.contains("skb[r")) {
            return line.replaceAll("skb\\[(r\\d+) [+-] 0x[0-9a-f]+\\]", "skb[$1]");
        }
        return line;
    }

    /**
     * llvm-objdump's default CPU knows only one 32-bit atomic, {@code lock *(u32 *)(...) += r2}; it
     * prints the others as {@code <unknown>}.
     */
    static String defaultCpuForm(String line) {
        // ... and it decodes a 32-bit fetch-add as that same non-fetching add (it ignores the FETCH bit).
        java.util.regex.Matcher fetchAdd = java.util.regex.Pattern
                .compile("\tw(\\d+) = atomic_fetch_add\\(\\(u32 \\*\\)\\((.*)\\), w\\d+\\)$").matcher(line);
        if (fetchAdd.find()) {
            return line.substring(0, fetchAdd.start() + 1) + "lock *(u32 *)(" + fetchAdd.group(2) + ") += r" + fetchAdd.group(1);
        }
        boolean legacyAdd = line.contains("lock *(u32 *)(") && line.contains(" += r");
        if (line.contains("(u32 *)(") && (line.contains("lock ") && !legacyAdd || line.contains("atomic_fetch_"))
                || line.contains("xchg32_32(") || line.contains("cmpxchg32_32(")) {
            return line.substring(0, line.indexOf('\t') + 1) + "<unknown>";
        }
        return line;
    }
}

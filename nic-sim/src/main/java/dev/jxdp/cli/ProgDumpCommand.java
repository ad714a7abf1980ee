package dev.jxdp.cli;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.DecodeException;
import dev.jxdp.isa.Decoder;
import dev.jxdp.isa.Disassembler;
import dev.jxdp.obj.ElfFile;
import dev.jxdp.obj.ObjectDisassembly;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jxdp prog dump FILE}: disassembly of an ELF object in llvm-objdump's format, or of a file
 * of raw bytecode (8-byte little-endian instructions) as numbered lines.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Disassemble an eBPF ELF object (as llvm-objdump -d --no-show-raw-insn) or raw bytecode.")
final class ProgDumpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An ELF object built for BPF, or raw bytecode.")
    Path file;

    @Option(names = "--mcpu", paramLabel = "CPU",
            description = "Print as llvm-objdump --mcpu=CPU does: v1/v2 (default) name narrow loads and stores with r registers, v3/v4 with w registers.")
    String mcpu = "v1";

    @Override
    public Integer call() throws Exception {
        Disassembler.Syntax syntax = switch (mcpu) {
            case "v1", "v2", "generic", "probe" -> Disassembler.Syntax.DEFAULT;
            case "v3", "v4" -> Disassembler.Syntax.ALU32;
            default -> throw new IllegalArgumentException("unknown --mcpu '" + mcpu + "' (expected v1, v2, v3 or v4)");
        };
        byte[] bytes = Files.readAllBytes(file);
        PrintWriter out = spec.commandLine().getOut();
        if (ElfFile.looksLikeElf(bytes)) {
            out.print(ObjectDisassembly.of(ElfFile.parse(file.toString(), bytes), file.toString(), syntax));
        } else {
            Bytecode code;
            try {
                code = Decoder.decodeUnlinked(bytes);
            } catch (DecodeException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            Disassembler dis = new Disassembler(syntax, null);
            code.forEach((insn, pc) -> out.printf("%8d:\t%s%n", pc, dis.format(insn, pc)));
        }
        out.flush();
        return 0;
    }
}

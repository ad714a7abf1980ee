package dev.jxdp.cli;

import dev.jxdp.exec.Engine;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.exec.Invocation;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.DecodeException;
import dev.jxdp.isa.Decoder;
import dev.jxdp.jit.Jit;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jxdp run-raw [MEM_HEX]}: the plugin protocol BPF runtimes use for cross-runtime conformance
 * testing (bpf_conformance). The program comes as hex on stdin (raw 8-byte little-endian
 * instructions); MEM_HEX is placed in memory with r1 pointing at it and r2 holding its length; r0 is
 * printed as lowercase hex without a prefix. Any load or run error: one line on stderr, exit 1.
 *
 * <p>The JIT runs the program unless {@code --interpret} asks for the reference interpreter. A
 * program the JIT cannot compile is an error that says why; nothing falls back silently.
 */
@Command(name = "run-raw", mixinStandardHelpOptions = true,
        description = "Run raw bytecode read as hex from stdin (the bpf_conformance plugin protocol); print r0 in hex.")
final class RunRawCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MEM_HEX",
            description = "Input memory as hex bytes (r1 = its address, r2 = its length); empty when absent.")
    String memHex = "";

    @ArgGroup(exclusive = true)
    EngineChoice engine = new EngineChoice();

    static final class EngineChoice {
        @Option(names = "--jit", description = "Run with the JIT compiler (the default).")
        boolean jit;

        @Option(names = "--interpret", description = "Run with the reference interpreter.")
        boolean interpret;

        Engine engine() {
            return interpret ? new Interpreter() : new Jit();
        }
    }

    @Override
    public Integer call() throws IOException {
        byte[] program = parseHex(readAll(main.stdin), "program on stdin");
        byte[] mem = parseHex(memHex, "MEM_HEX");
        Bytecode code;
        try {
            code = Decoder.decode(program);
        } catch (DecodeException e) {
            throw new IllegalArgumentException("program on stdin: " + e.getMessage(), e);
        }
        long r0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(Math.max(1, mem.length), 8).asSlice(0, mem.length);
            segment.copyFrom(MemorySegment.ofArray(mem));
            MemoryMap memory = new MemoryMap();
            if (mem.length > 0) {
                memory.add(Region.readWrite("mem", RegionKind.INPUT, segment));
            }
            Invocation run = Invocation.of(memory, segment.address(), mem.length).withPacket(segment);
            r0 = engine.engine().prepare(code, Helpers.none()).run(run);
        }
        spec.commandLine().getOut().println(Long.toHexString(r0));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    /** Hex digits with any whitespace between them (bpf_conformance writes "b7 00 00 00 ..."). */
    static byte[] parseHex(String text, String what) {
        String digits = text.replaceAll("\\s+", "");
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
        }
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException(what + ": odd number of hex digits (" + digits.length() + ")");
        }
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": not hex: " + e.getMessage(), e);
        }
    }
}

package dev.jxdp.cli;

import dev.jxdp.helpers.HelperIds;
import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.isa.DecodeException;
import dev.jxdp.isa.Decoder;
import dev.jxdp.isa.Disassembler;
import dev.jxdp.isa.Instruction;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import dev.jxdp.obj.ElfFile;
import dev.jxdp.obj.ObjectDisassembly;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import dev.jxdp.obj.btf.BtfExt;
import dev.jxdp.obj.btf.BtfNames;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jxdp prog dump FILE}: disassembly of an ELF object in llvm-objdump's format, or of a file of
 * raw bytecode (8-byte little-endian instructions) as numbered lines.
 *
 * <p>With {@code --section}, {@code --name} or {@code --linum} it dumps programs as loaded instead:
 * linked with their subprograms and relocated, each function headed by its BTF signature and each
 * instruction that starts a source line preceded by {@code ; line}, as {@code bpftool prog dump
 * xlated} prints a loaded program ({@code --linum} adds {@code [file:F line_num:N line_col:C]} as
 * bpftool's {@code linum} does). Calls, helper calls and map loads carry {@code <name>} annotations.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Disassemble an eBPF ELF object (as llvm-objdump -d --no-show-raw-insn) or raw bytecode; "
                + "with --section, --name or --linum, programs as loaded (as bpftool prog dump xlated).")
final class ProgDumpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An ELF object built for BPF, or raw bytecode.")
    Path file;

    @Option(names = "--mcpu", paramLabel = "CPU",
            description = "Print as llvm-objdump --mcpu=CPU does: v1/v2 (default) name narrow loads and stores with r registers, v3/v4 with w registers.")
    String mcpu = "v1";

    @Option(names = "--section", paramLabel = "S", description = "Dump the programs of section S as loaded.")
    String section;

    @Option(names = "--name", paramLabel = "N", description = "Dump program N as loaded.")
    String name;

    @Option(names = "--linum", description = "Dump programs as loaded, with file, line and column of each source line.")
    boolean linum;

    @Mixin
    LoadArgs load;

    @Override
    public Integer call() throws Exception {
        Disassembler.Syntax syntax = switch (mcpu) {
            case "v1", "v2", "generic", "probe" -> Disassembler.Syntax.DEFAULT;
            case "v3", "v4" -> Disassembler.Syntax.ALU32;
            default -> throw new UsageException("unknown --mcpu '" + mcpu + "' (expected v1, v2, v3 or v4)");
        };
        byte[] bytes = InputFiles.read(file, null);
        if (bytes.length == 0) {
            // no ELF object, and no program either (raw bytecode has an instruction at least): refused
            // as every other command refuses it, a truncated ELF header, rather than dumped as nothing
            ElfFile.parse(file.toString(), bytes);
            throw new IllegalArgumentException(file + ": empty file");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean linked = section != null || name != null || linum;
        if (linked) {
            if (!ElfFile.looksLikeElf(bytes)) {
                throw new IllegalArgumentException(file + ": --section, --name and --linum need an ELF object");
            }
            dumpLinked(out, load.load(file), syntax);
        } else if (ElfFile.looksLikeElf(bytes)) {
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

    private void dumpLinked(PrintWriter out, ObjectSpec o, Disassembler.Syntax syntax) {
        List<ProgramSpec> chosen = new ArrayList<>();
        for (ProgramSpec p : o.programs()) {
            if ((section == null || p.section().equals(section)) && (name == null || p.name().equals(name))) {
                chosen.add(p);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException(file + ": no program" + (name != null ? " named '" + name + "'" : "")
                    + (section != null ? " in section '" + section + "'" : "") + " (programs: "
                    + String.join(", ", o.programs().stream().map(p -> p.name() + " [" + p.section() + "]").toList()) + ")");
        }
        Main.Output mode = Main.output(spec);
        List<Map<String, Object>> json = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            ProgramSpec p = chosen.get(i);
            if (mode == Main.Output.PLAIN) {
                if (i > 0) {
                    out.println();
                }
                plain(out, o, p, syntax);
            } else {
                json.add(json(o, p, syntax));
            }
        }
        if (mode != Main.Output.PLAIN) {
            Json.print(out, json, mode == Main.Output.PRETTY_JSON);
        }
    }

    private void plain(PrintWriter out, ObjectSpec o, ProgramSpec p, Disassembler.Syntax syntax) {
        Map<Integer, String> headers = headers(o, p);
        Map<Integer, BtfExt.LineInfo> lines = lines(p);
        Disassembler dis = disassembler(p, syntax);
        p.code().forEach((insn, pc) -> {
            String header = headers.get(pc);
            if (header != null) {
                out.println(header + ":");
            }
            BtfExt.LineInfo li = lines.get(pc);
            if (li != null) {
                out.println("; " + li.source().strip() + (linum ? " [file:" + li.file() + " line_num:" + li.line() + " line_col:" + li.column() + "]" : ""));
            }
            out.printf("%4d: %s%n", pc, text(o, p, dis, insn, pc));
        });
    }

    private Map<String, Object> json(ObjectSpec o, ProgramSpec p, Disassembler.Syntax syntax) {
        Map<Integer, String> headers = headers(o, p);
        Map<Integer, BtfExt.LineInfo> lines = lines(p);
        Disassembler dis = disassembler(p, syntax);
        List<Map<String, Object>> insns = new ArrayList<>();
        p.code().forEach((insn, pc) -> {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("pc", pc);
            if (headers.containsKey(pc)) {
                j.put("proto", headers.get(pc));
            }
            j.put("disasm", text(o, p, dis, insn, pc));
            BtfExt.LineInfo li = lines.get(pc);
            if (li != null) {
                j.put("src", li.source().strip());
                j.put("file", li.file());
                j.put("line_num", li.line());
                j.put("line_col", li.column());
            }
            insns.add(j);
        });
        Map<String, Object> prog = new LinkedHashMap<>();
        prog.put("name", p.name());
        prog.put("section", p.section());
        prog.put("insns", insns);
        return prog;
    }

    /** Function headers by start slot: the BTF signature where func_info has one, else the name. */
    private static Map<Integer, String> headers(ObjectSpec o, ProgramSpec p) {
        Map<Integer, String> headers = new HashMap<>();
        for (ProgramSpec.Function f : p.functions()) {
            headers.put(f.start(), f.name());
        }
        if (o.btf() != null) {
            for (BtfExt.FuncInfo fi : p.funcInfo()) {
                String sig = BtfNames.signature(o.btf(), fi.typeId());
                if (sig != null) {
                    headers.put(fi.insn(), sig);
                }
            }
        }
        return headers;
    }

    private static Map<Integer, BtfExt.LineInfo> lines(ProgramSpec p) {
        Map<Integer, BtfExt.LineInfo> lines = new HashMap<>();
        for (BtfExt.LineInfo li : p.lineInfo()) {
            lines.putIfAbsent(li.insn(), li);
        }
        return lines;
    }

    /** Local calls and function addresses are annotated with the callee's name. */
    private static Disassembler disassembler(ProgramSpec p, Disassembler.Syntax syntax) {
        Map<Long, String> starts = new HashMap<>();
        for (ProgramSpec.Function f : p.functions()) {
            starts.put((long) f.start(), "<" + f.name() + ">");
        }
        return new Disassembler(syntax, starts::get);
    }

    private static String text(ObjectSpec o, ProgramSpec p, Disassembler dis, Instruction insn, int pc) {
        String s = dis.format(insn, pc);
        return switch (insn) {
            case Call c when c.kind() == CallKind.LOCAL && p.functionAt(pc + 1 + c.imm()) != null ->
                    s + " <" + p.functionAt(pc + 1 + c.imm()).name() + ">";
            case Call c when c.kind() == CallKind.HELPER -> s + " <" + HelperIds.describe(c.imm()).replaceFirst("#\\d+$", "") + ">";
            case LoadImm64 l when l.source() == PseudoSource.MAP_FD && l.imm() >= 0 && l.imm() < o.maps().size() ->
                    s + " <" + o.maps().get(l.imm()).name() + ">";
            case LoadImm64 l when l.source() == PseudoSource.MAP_VALUE && l.imm() >= 0 && l.imm() < o.maps().size() ->
                    s + " <" + o.maps().get(l.imm()).name() + "+0x" + Integer.toHexString(l.nextImm()) + ">";
            default -> s;
        };
    }
}

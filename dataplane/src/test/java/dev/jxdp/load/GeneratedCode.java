package dev.jxdp.load;

import dev.jxdp.isa.Call;
import dev.jxdp.isa.CallKind;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.testing.Clang;
import dev.jxdp.testing.Repo;
import java.io.IOException;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * What the tests of the JIT's map lookups (inline array lookups, direct hash lookups) look at: the
 * corpus objects, the helper programs they compile, and counts of the lookup sites in the eBPF code
 * and of instructions in the generated class.
 */
final class GeneratedCode {
    private GeneratedCode() {}

    /** programs/bin's object of that file name. */
    static Path object(String file) {
        return Repo.programObjects().stream().filter(p -> p.getFileName().toString().equals(file)).findFirst().orElseThrow();
    }

    /** helper-programs/NAME.c compiled by clang and loaded (the object file is deleted again). */
    static ObjectSpec helperProgram(String name) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("jxdp-" + name);
        try {
            Path source = Repo.root().resolve("dataplane/src/test/resources/helper-programs/" + name + ".c");
            return ObjectLoader.load(Clang.compile(tmp, name, Files.readString(source)), LoadOptions.defaults());
        } finally {
            try (var files = Files.walk(tmp)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** The program's bpf_map_lookup_elem calls. */
    static int lookupSites(LoadedProgram p) {
        int[] n = new int[1];
        p.code().forEach((insn, pc) -> {
            if (insn instanceof Call c && c.kind() == CallKind.HELPER && c.imm() == 1) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** Instructions of every method whose opcode name starts with {@code op} and that name {@code member}. */
    static int count(ClassModel cls, String op, String member) {
        int n = 0;
        for (MethodModel m : cls.methods()) {
            CodeModel code = m.code().orElse(null);
            if (code == null) {
                continue;
            }
            for (var e : code) {
                String opName = e instanceof Instruction i ? i.opcode().name().toLowerCase() : "";
                if (e instanceof InvokeInstruction i && opName.startsWith(op) && i.name().equalsString(member)
                        || e instanceof FieldInstruction f && opName.startsWith(op) && f.name().equalsString(member)) {
                    n++;
                }
            }
        }
        return n;
    }
}

package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgDumpCommandTest {

    @Test
    void disassemblesAnObjectAsLlvmObjdumpDoes() {
        // programs/src/xdp_pass.c returns XDP_PASS (2): clang emits "r0 = 0x2; exit" in section xdp.
        String file = Cli.root().resolve("programs/bin/xdp_pass.o").toString();
        Cli r = Cli.run("prog", "dump", file);
        assertEquals(0, r.status(), r.err());
        assertEquals("\n" + file + ":\tfile format elf64-bpf\n\nDisassembly of section xdp:\n\n"
                + "0000000000000000 <xdp_pass>:\n       0:\tr0 = 0x2\n       1:\texit\n", r.out());
    }

    @Test
    void rawBytecode(@TempDir Path dir) throws Exception {
        Path raw = dir.resolve("prog.bin");
        Files.write(raw, new byte[] {(byte) 0xb7, 0, 0, 0, 2, 0, 0, 0, (byte) 0x95, 0, 0, 0, 0, 0, 0, 0});
        Cli r = Cli.run("prog", "dump", raw.toString());
        assertEquals("       0:\tr0 = 0x2\n       1:\texit\n", r.out());
    }

    @Test
    void badInputIsOneLine(@TempDir Path dir) throws Exception {
        Path truncated = dir.resolve("t.o");
        Files.write(truncated, new byte[] {0x7f, 'E', 'L', 'F', 2, 1});
        Cli r = Cli.run("prog", "dump", truncated.toString());
        assertEquals(1, r.status());
        assertEquals("Error: " + truncated + ": offset 0x6: truncated ELF header: file has 6 bytes, the header needs 64\n", r.err());

        // an empty file is no program, raw or ELF: refused as prog show and verify refuse it, with and without --linum
        Path empty = Files.write(dir.resolve("empty.o"), new byte[0]);
        for (String[] args : List.of(new String[] {"prog", "dump", empty.toString()}, new String[] {"prog", "dump", "--linum", empty.toString()},
                new String[] {"prog", "show", empty.toString()})) {
            Cli e = Cli.run(args);
            assertEquals(1, e.status(), e.out());
            assertEquals("Error: " + empty + ": offset 0x0: truncated ELF header: file has 0 bytes, the header needs 64\n", e.err());
            assertEquals("", e.out());
        }

        Cli missing = Cli.run("prog", "dump", dir.resolve("nope.o").toString());
        assertEquals(1, missing.status());
        assertEquals("Error: " + dir.resolve("nope.o") + ": no such file\n", missing.err());

        Cli mcpu = Cli.run("prog", "dump", "--mcpu", "v9", truncated.toString());
        assertEquals(2, mcpu.status(), "a wrong option value is a usage error");
        assertTrue(mcpu.err().startsWith("Error: unknown --mcpu 'v9'"), mcpu.err());
    }
}

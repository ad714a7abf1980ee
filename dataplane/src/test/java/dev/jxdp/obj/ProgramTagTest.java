package dev.jxdp.obj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jxdp.isa.Bytecode;
import dev.jxdp.isa.Exit;
import dev.jxdp.isa.LoadImm64;
import dev.jxdp.isa.PseudoSource;
import org.junit.jupiter.api.Test;

class ProgramTagTest {
    private static final Bytecode PASS = Corpus.load("xdp_pass").programs().getFirst().code();

    @Test
    void kernelTagOfXdpPass() {
        // bpftool -j prog show on Linux 6.18.44 after bpftool prog loadall xdp_pass.o
        assertEquals("614b434cd8324ecc", ProgramTag.of(PASS, ProgramTag.Algorithm.SHA256));
    }

    @Test
    void sha1TagOfOlderKernels() {
        // python3: hashlib.sha1(bytes.fromhex("b700000002000000" "9500000000000000")).hexdigest()[:16]
        assertEquals("3b185187f1855c4c", ProgramTag.of(PASS, ProgramTag.Algorithm.SHA1));
    }

    @Test
    void mapReferencesDoNotChangeTheTag() {
        Bytecode a = Bytecode.of(new LoadImm64(1, PseudoSource.MAP_FD, 3, 0), new Exit());
        Bytecode b = Bytecode.of(new LoadImm64(1, PseudoSource.MAP_FD, 7, 0), new Exit());
        Bytecode c = Bytecode.of(new LoadImm64(1, PseudoSource.MAP_VALUE, 3, 12), new Exit());
        Bytecode d = Bytecode.of(new LoadImm64(1, PseudoSource.MAP_VALUE, 5, 40), new Exit());
        assertEquals(ProgramTag.of(a, ProgramTag.DEFAULT), ProgramTag.of(b, ProgramTag.DEFAULT));
        assertEquals(ProgramTag.of(c, ProgramTag.DEFAULT), ProgramTag.of(d, ProgramTag.DEFAULT), "the value offset is zeroed too");
        Bytecode plain = Bytecode.of(LoadImm64.of(1, 3), new Exit());
        Bytecode plain2 = Bytecode.of(LoadImm64.of(1, 7), new Exit());
        assertNotEquals(ProgramTag.of(plain, ProgramTag.DEFAULT), ProgramTag.of(plain2, ProgramTag.DEFAULT), "constants count");
    }
}

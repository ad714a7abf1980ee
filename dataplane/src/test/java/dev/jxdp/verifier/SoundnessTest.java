package dev.jxdp.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jxdp.exec.ExecutionException;
import dev.jxdp.exec.Executable;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.exec.Invocation;
import dev.jxdp.isa.Decoder;
import dev.jxdp.jit.Jit;
import dev.jxdp.jit.VerifiedFacts;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import dev.jxdp.obj.ObjectSpec;
import dev.jxdp.obj.ProgramSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Soundness: every program the verifier accepts (the corpus's and programs/bin's), run in the
 * checked interpreter on random and mutated frames ({@link Packets}), never makes an access outside
 * its regions: no memory fault, no error of any kind. Helpers and maps come from
 * {@link SoundnessHarness}. The same frames also run on the JIT compiled with the verifier's proofs
 * (accesses unchecked), which must give the interpreter's results.
 *
 * <p>Frames per program: {@code -Djxdp.verifier.soundness.packets}, default 10,000 (the whole check,
 * 79 programs, took 25 s on the 2-core development VM; xdp_payload_crc32's 37,000 instructions take
 * most of it). The JIT runs the first tenth.
 */
class SoundnessTest {
    private static final int PACKETS = Integer.getInteger("jxdp.verifier.soundness.packets", 10_000);

    /** One accepted program to run. */
    record Runnable(String name, VerifierInput input) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Runnable> accepted() {
        List<Runnable> out = new ArrayList<>();
        Stream.concat(CorpusCase.verifierCorpus().stream(), CorpusCase.packetPrograms().stream()).filter(CorpusCase::accepts).forEach(c -> {
            if (c.asm()) {
                AsmProgram p = CorpusCase.parse(c.file());
                out.add(new Runnable(c.name(), new VerifierInput(c.name(), Decoder.decodeUnlinked(p.insns()), p.type(), p.maps(),
                        p.gplCompatible(), false)));
            } else {
                try {
                    ObjectSpec o = ObjectLoader.load(c.file(), LoadOptions.defaults());
                    for (ProgramSpec p : o.programs()) {
                        out.add(new Runnable(c.name() + ":" + p.name(), VerifierInput.of(o, p)));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptedProgramsNeverFault(Runnable r) {
        VerifiedProgram v = Verifier.verify(r.input(), VerifierOptions.defaults());
        int packets = PACKETS;
        Random random = new Random(r.name().hashCode());
        int divergences = 0;
        try (Arena arena = Arena.ofConfined()) {
            SoundnessHarness h = new SoundnessHarness(r.input().code(), r.input().type(), r.input().maps(), arena, new Random());
            Helpers helpers = SoundnessHarness.completeWith(h.helpers(), h.code);
            Executable interpreter = new Interpreter().prepare(h.code, helpers);
            Executable jit = new Jit().prepare(h.code, helpers, new VerifiedFacts(v));
            MemorySegment buffer = arena.allocate(9100, 8);
            for (int i = 0; i < packets; i++) {
                byte[] frame = Packets.next(random);
                MemorySegment packet = load(buffer, frame);
                long r0;
                long seed = random.nextLong();
                h.reseed(seed);
                try {
                    r0 = interpreter.run(h.invocation(packet));
                } catch (ExecutionException e) {
                    if (e.getMessage().contains(R0_UNWRITTEN) && !isMainExit(r, e.pc())) {
                        divergences++;
                        continue;
                    }
                    fail(r + " was accepted, yet on frame " + HexFormat.of().formatHex(frame) + ":\n" + e.getMessage());
                    return;
                }
                if (i < packets / 10) {
                    byte[] after = buffer.asSlice(0, frame.length).toArray(ValueLayout.JAVA_BYTE);
                    MemorySegment again = load(buffer, frame);
                    h.reseed(seed);
                    long jr0 = jit.run(h.invocation(again));
                    byte[] jitAfter = buffer.asSlice(0, frame.length).toArray(ValueLayout.JAVA_BYTE);
                    String f = HexFormat.of().formatHex(frame);
                    assertEquals(r0, jr0, () -> r + ": r0 of the verified JIT on frame " + f);
                    assertEquals(HexFormat.of().formatHex(after), HexFormat.of().formatHex(jitAfter), () -> r + ": packet after the JIT");
                }
            }
        }
        if (divergences > 0) {
            System.out.println("soundness: " + r + ": " + divergences + " runs stopped at a function's exit without r0 (an engine rule"
                    + " stricter than the kernel's, not a memory fault)");
        }
    }

    /**
     * The engines refuse an exit of any function that never wrote r0; the kernel only refuses it for the
     * program's own exit (a callee may return nothing when its caller ignores r0, as vf_subprogs's
     * void function does). That run stops early; it is not a memory fault.
     */
    private static final String R0_UNWRITTEN = "exit with r0 never written in this function";

    private static boolean isMainExit(Runnable r, int pc) {
        return pc < firstSubprogStart(r);
    }

    private static int firstSubprogStart(Runnable r) {
        VerifiedProgram v = Verifier.verify(r.input(), VerifierOptions.defaults());
        return v.subprogStarts().size() > 1 ? v.subprogStarts().get(1) : Integer.MAX_VALUE;
    }

    private static MemorySegment load(MemorySegment buffer, byte[] frame) {
        MemorySegment packet = buffer.asSlice(0, frame.length);
        MemorySegment.copy(frame, 0, packet, ValueLayout.JAVA_BYTE, 0, frame.length);
        return packet;
    }
}

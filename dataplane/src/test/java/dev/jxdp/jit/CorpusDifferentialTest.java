package dev.jxdp.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jxdp.exec.ExecutionException;
import dev.jxdp.exec.Executable;
import dev.jxdp.exec.Helpers;
import dev.jxdp.exec.Interpreter;
import dev.jxdp.exec.Invocation;
import dev.jxdp.exec.MemoryMap;
import dev.jxdp.exec.Permission;
import dev.jxdp.exec.Region;
import dev.jxdp.exec.RegionKind;
import dev.jxdp.testing.Repo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every program of every object in programs/bin, on random frames ({@link Frames}), through the
 * interpreter and the JIT: the same verdict or error, the same packet bytes after, the same
 * .data/.bss contents. Until maps and helpers exist, helpers are stubs returning 0 (so map lookups
 * miss) and the code comes from {@link ObjectHarness}, a local stand-in for the loader; programs are
 * therefore exercised on their parsing and "not found" paths, which is most of their code.
 */
class CorpusDifferentialTest {
    private static final int FRAMES = Integer.getInteger("jxdp.corpus.frames", 150);

    @Test
    void interpreterAndJitAgreeOnEveryProgramOfTheCorpus() {
        Map<String, String> ran = new TreeMap<>();
        List<Path> objects = Repo.programObjects();
        int expected = 0;
        for (Path object : objects) {
            for (ObjectHarness.Linked p : ObjectHarness.programs(object)) {
                ran.put(p.toString(), compare(p));
            }
            expected += programCount(object);
        }
        ran.forEach((p, summary) -> System.out.println("corpus differential: " + p + ": " + summary));
        // Every program of every object ran (the count comes from the objects' own symbol tables).
        assertEquals(expected, ran.size(), "programs found: " + ran.keySet());
    }

    /** Runs one program on {@link #FRAMES} frames; returns a summary of the outcomes. */
    private static String compare(ObjectHarness.Linked p) {
        Random random = new Random(p.toString().hashCode());
        Map<String, Integer> outcomes = new TreeMap<>();
        try (Arena arena = Arena.ofConfined()) {
            ObjectHarness.Instance instance = ObjectHarness.Instance.of(p, arena);
            Helpers helpers = ObjectHarness.stubHelpers(p.helperIds());
            Executable interpreter = new Interpreter().prepare(instance.code(), helpers);
            Executable jit = new Jit().prepare(instance.code(), helpers);
            MemorySegment packet = ObjectHarness.buffer(arena, 9000);
            for (int i = 0; i < FRAMES; i++) {
                byte[] frame = Frames.random(random);
                String expected = run(interpreter, p, instance, packet, frame, arena);
                String actual = run(jit, p, instance, packet, frame, arena);
                if (!expected.equals(actual)) {
                    fail(p + ", frame " + HexFormat.of().formatHex(frame) + ":\n  interpreter: " + expected
                            + "\n  jit:         " + actual);
                }
                String verdict = expected.substring(0, expected.indexOf(';'));
                outcomes.merge(verdict.startsWith("error") ? "error: " + errorKind(verdict) : verdict, 1, Integer::sum);
            }
        }
        return outcomes.toString();
    }

    static String run(Executable exe, ObjectHarness.Linked p, ObjectHarness.Instance instance,
            MemorySegment backing, byte[] frame, Arena arena) {
        instance.reset(p);
        backing.fill((byte) 0);
        MemorySegment packet = ObjectHarness.frame(backing, frame.length);
        MemorySegment.copy(frame, 0, packet, ValueLayout.JAVA_BYTE, 0, frame.length);
        Region ctx = ObjectHarness.isTc(p) ? ObjectHarness.skBuff(arena, backing, frame.length)
                : ObjectHarness.xdpMd(arena, backing, frame.length);
        MemoryMap memory = new MemoryMap().add(ctx);
        if (frame.length > 0) {
            memory.add(new Region.Mem("packet", RegionKind.PACKET, packet, Permission.READ_WRITE));
        }
        instance.regions().forEach(memory::add);
        String result;
        try {
            result = "r0 = " + exe.run(Invocation.of(memory, ctx.address()).withPacket(packet));
        } catch (ExecutionException e) {
            result = "error at " + e.pc() + ": " + e.getMessage().replaceAll("0x7[0-9a-f]{10,}", "0x<address>");
        }
        StringBuilder b = new StringBuilder(result).append("; packet ")
                .append(HexFormat.of().formatHex(packet.toArray(ValueLayout.JAVA_BYTE)));
        instance.segments().forEach((name, s) -> b.append("; ").append(name).append(' ')
                .append(HexFormat.of().formatHex(s.toArray(ValueLayout.JAVA_BYTE))));
        return b.toString();
    }

    /** Function symbols in executable sections other than .text: the programs as libbpf counts them. */
    private static int programCount(Path object) {
        try {
            dev.jxdp.obj.ElfFile elf = dev.jxdp.obj.ElfFile.parse(object.toString(), java.nio.file.Files.readAllBytes(object));
            return (int) elf.symbols().stream().filter(sym -> sym.isFunction()
                    && sym.binding() == dev.jxdp.obj.ElfSymbol.STB_GLOBAL
                    && sym.sectionIndex() > 0 && sym.sectionIndex() < elf.sections().size()
                    && elf.sections().get(sym.sectionIndex()).isExecutable()
                    && !elf.sections().get(sym.sectionIndex()).name().equals(".text")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String errorKind(String error) {
        String message = error.substring(error.indexOf("): ") + 3);
        return message.length() > 40 ? message.substring(0, 40) : message;
    }
}

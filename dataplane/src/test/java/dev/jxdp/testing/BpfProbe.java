package dev.jxdp.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The smallest possible way for tests to ask the running kernel's verifier about a program:
 * BPF_PROG_LOAD through bpf(2), returning the verifier log. Tests use it as an oracle (the kernel is
 * the judge); it is not jxdp's kernel backend. Loaded programs are closed at once.
 */
public final class BpfProbe {
    private BpfProbe() {}

    private static final long SYS_BPF = 321; // x86-64
    private static final int BPF_PROG_LOAD = 5;
    private static final MethodHandle SYSCALL;
    private static final MethodHandle CLOSE;

    static {
        Linker linker = Linker.nativeLinker();
        SYSCALL = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT),
                Linker.Option.firstVariadicArg(1));
        CLOSE = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** The verifier's answer: whether the program loaded, and its log (level 1). */
    public record Verdict(boolean loaded, String log) {}

    /** Why BPF cannot be used here, or null when it can (x86-64 Linux, allowed to load programs). */
    public static String unavailableReason() {
        if (!System.getProperty("os.name").equals("Linux") || !System.getProperty("os.arch").equals("amd64")) {
            return "the BPF probe needs Linux on x86-64";
        }
        try {
            Verdict v = load(6, new long[] {0xb7L, 0x95L}, "GPL");
            return v.loaded() ? null : "the kernel refused a trivial XDP program (not root?): " + v.log().strip();
        } catch (Throwable t) {
            return "bpf(2) is not callable: " + t;
        }
    }

    /** BPF_PROG_LOAD of raw little-endian slots with a license; the program is closed right away. */
    public static Verdict load(int progType, long[] slots, String license) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = arena.allocate(8L * slots.length, 8);
            for (int i = 0; i < slots.length; i++) {
                insns.setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i, slots[i]);
            }
            MemorySegment lic = arena.allocateFrom(license, StandardCharsets.UTF_8);
            int logSize = 1 << 16;
            MemorySegment log = arena.allocate(logSize);
            MemorySegment attr = arena.allocate(128, 8);
            attr.set(ValueLayout.JAVA_INT, 0, progType);
            attr.set(ValueLayout.JAVA_INT, 4, slots.length);
            attr.set(ValueLayout.JAVA_LONG, 8, insns.address());
            attr.set(ValueLayout.JAVA_LONG, 16, lic.address());
            attr.set(ValueLayout.JAVA_INT, 24, 1);
            attr.set(ValueLayout.JAVA_INT, 28, logSize);
            attr.set(ValueLayout.JAVA_LONG, 32, log.address());
            long fd = (long) SYSCALL.invokeExact(SYS_BPF, BPF_PROG_LOAD, attr, 128);
            if (fd >= 0) {
                int ignored = (int) CLOSE.invokeExact((int) fd);
            }
            return new Verdict(fd >= 0, log.getString(0, StandardCharsets.UTF_8));
        } catch (Throwable t) {
            throw new IllegalStateException("bpf(BPF_PROG_LOAD) failed to run", t);
        }
    }
}

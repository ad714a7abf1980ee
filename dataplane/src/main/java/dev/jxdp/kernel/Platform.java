package dev.jxdp.kernel;

import java.util.Locale;
import java.util.Optional;

/**
 * The one place that knows which operating system and architecture the kernel backend runs on. System
 * call numbers differ per architecture and nothing in the Java runtime gives them to us, so the bpf()
 * number is a constant here; an architecture without one is refused with a clear reason rather than
 * calling a wrong system call.
 */
final class Platform {
    /** __NR_bpf in arch/x86/entry/syscalls/syscall_64.tbl. */
    private static final long SYS_BPF_X86_64 = 321;

    private static final String OS = System.getProperty("os.name", "?");
    private static final String ARCH = System.getProperty("os.arch", "?");

    private Platform() {}

    /** Why bpf() cannot be called from this JVM at all, or empty if the platform is supported. */
    static Optional<String> unsupportedReason() {
        if (!OS.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("not Linux (os.name=" + OS + ")");
        }
        if (!isX86_64()) {
            return Optional.of("not x86_64 (os.arch=" + ARCH + "); only the x86_64 bpf() system call number is known");
        }
        return Optional.empty();
    }

    /** The bpf() system call number of this platform; throws on an unsupported one. */
    static long sysBpf() {
        unsupportedReason().ifPresent(reason -> {
            throw new UnsupportedOperationException("BPF is not usable: " + reason);
        });
        return SYS_BPF_X86_64;
    }

    private static boolean isX86_64() {
        return ARCH.equals("amd64") || ARCH.equals("x86_64");
    }
}

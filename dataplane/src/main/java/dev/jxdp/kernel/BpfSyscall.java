package dev.jxdp.kernel;

/**
 * {@code bpf(cmd, &attr, sizeof(attr))}: the single path by which the backend enters the kernel.
 * Callers that expect particular errnos (ENOENT from a lookup) use {@link #call}; the others use
 * {@link #check}, which turns a failure into a {@link BpfException} naming the command.
 */
final class BpfSyscall {
    private BpfSyscall() {}

    static Libc.Result call(BpfCommand command, Struct attr) {
        return Libc.syscall(Platform.sysBpf(), command.code, attr.segment(), attr.size());
    }

    /** The call's non-negative result (an fd for the commands that create objects, else 0). */
    static int check(BpfCommand command, Struct attr) {
        Libc.Result r = call(command, attr);
        if (r.failed()) {
            throw BpfException.of(command, Errno.of(r.errno()), null);
        }
        return Math.toIntExact(r.value());
    }
}

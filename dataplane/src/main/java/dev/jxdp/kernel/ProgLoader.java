package dev.jxdp.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * BPF_PROG_LOAD, with the retries a caller would otherwise have to write: once more with a log when a
 * load without one failed ({@link LogLevel#ON_FAILURE}), with a larger log buffer when the kernel says
 * ENOSPC about the log, and on EAGAIN, which the verifier returns transiently (libbpf retries too).
 */
final class ProgLoader {
    private static final int EAGAIN = 11;
    private static final int EAGAIN_ATTEMPTS = 5;

    private ProgLoader() {}

    static BpfProgram load(ProgLoadRequest request) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = arena.allocateFrom(ValueLayout.JAVA_BYTE, request.insns());
            MemorySegment license = arena.allocateFrom(request.license());
            int level = request.logLevel().bits;
            int logSize = request.logSize();
            int eagainLeft = EAGAIN_ATTEMPTS;
            while (true) {
                MemorySegment log = level > 0 ? arena.allocate(logSize) : MemorySegment.NULL;
                Struct attr = new Struct(arena, Layouts.PROG_LOAD)
                        .putInt("prog_type", request.type().code)
                        .putInt("insn_cnt", request.insnCount())
                        .putPointer("insns", insns)
                        .putPointer("license", license)
                        .putInt("log_level", level)
                        .putInt("log_size", level > 0 ? logSize : 0)
                        .putPointer("log_buf", log)
                        .putInt("prog_flags", request.progFlags())
                        .putName("prog_name", request.name())
                        .putInt("expected_attach_type",
                                request.expectedAttachType() == null ? 0 : request.expectedAttachType().code);
                Libc.Result r = BpfSyscall.call(BpfCommand.PROG_LOAD, attr);
                String logText = level > 0 ? log.getString(0) : "";
                if (!r.failed()) {
                    return new BpfProgram(Math.toIntExact(r.value()), request.type(), request.name(), logText);
                }
                if (r.errno() == EAGAIN && --eagainLeft > 0) {
                    continue;
                }
                if (r.errno() == Errno.ENOSPC && level > 0 && logSize < ProgLoadRequest.MAX_LOG_SIZE) {
                    logSize = Math.min(logSize * 8, ProgLoadRequest.MAX_LOG_SIZE); // the log, not the program, overflowed
                    continue;
                }
                if (level == 0 && r.errno() != Errno.EPERM && r.errno() != Errno.ENOSYS) {
                    level = LogLevel.BASIC.bits; // load again only to learn why
                    continue;
                }
                throw new ProgLoadException(request.type(), request.name(), Errno.of(r.errno()), logText);
            }
        }
    }
}

package dev.jxdp.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Consumer;

/** A program loaded into the kernel; obtained from {@link Bpf#loadProgram}. */
public final class BpfProgram extends BpfFd {
    private final ProgType type;
    private final String name;
    private final String verifierLog;

    BpfProgram(int fd, ProgType type, String name, String verifierLog) {
        super(fd);
        this.type = type;
        this.name = name;
        this.verifierLog = verifierLog;
    }

    public ProgType type() {
        return type;
    }

    public String name() {
        return name;
    }

    /** The verifier's log of the successful load; empty unless the load asked for a log level. */
    public String verifierLog() {
        return verifierLog;
    }

    /** BPF_PROG_TEST_RUN: runs the program in the kernel on the given packet and context. */
    public TestRunResult testRun(TestRun run) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dataIn = arena.allocateFrom(ValueLayout.JAVA_BYTE, run.dataIn());
            MemorySegment dataOut = buffer(arena, run.dataOutCapacity());
            byte[] ctx = run.ctxIn();
            MemorySegment ctxIn = ctx == null ? MemorySegment.NULL : arena.allocateFrom(ValueLayout.JAVA_BYTE, ctx);
            MemorySegment ctxOut = buffer(arena, run.ctxOutCapacity());
            Struct attr = new Struct(arena, Layouts.PROG_TEST_RUN)
                    .putInt("prog_fd", fd())
                    .putInt("data_size_in", (int) dataIn.byteSize())
                    .putPointer("data_in", dataIn)
                    .putInt("data_size_out", run.dataOutCapacity())
                    .putPointer("data_out", dataOut)
                    .putInt("ctx_size_in", ctx == null ? 0 : ctx.length)
                    .putPointer("ctx_in", ctxIn)
                    .putInt("ctx_size_out", run.ctxOutCapacity())
                    .putPointer("ctx_out", ctxOut)
                    .putInt("repeat", run.repeat())
                    .putInt("flags", run.flags())
                    .putInt("cpu", run.cpu())
                    .putInt("batch_size", run.batchSize());
            Libc.Result r = BpfSyscall.call(BpfCommand.PROG_TEST_RUN, attr);
            if (r.failed()) {
                throw BpfException.of(BpfCommand.PROG_TEST_RUN, Errno.of(r.errno()), testRunDetail(r.errno(), run, attr));
            }
            return new TestRunResult(
                    Integer.toUnsignedLong(attr.getInt("retval")),
                    Integer.toUnsignedLong(attr.getInt("duration")),
                    copy(dataOut, attr.getInt("data_size_out")),
                    copy(ctxOut, attr.getInt("ctx_size_out")));
        }
    }

    /** BPF_OBJ_GET_INFO_BY_FD: the kernel's view of this program (id, tag, name, sizes). */
    public ProgInfo info() {
        try (Arena arena = Arena.ofConfined()) {
            return ProgInfo.from(queryInfo(arena, info -> {}));
        }
    }

    /**
     * The program as the verifier rewrote it (xlated_prog_insns), raw 8-byte instructions. The kernel
     * answers only to callers allowed to see kernel addresses (root with the default kptr_restrict).
     */
    public byte[] xlatedInstructions() {
        try (Arena arena = Arena.ofConfined()) {
            int length = queryInfo(arena, info -> {}).getInt("xlated_prog_len");
            MemorySegment buffer = arena.allocate(Math.max(length, 1));
            Struct info = queryInfo(arena, request -> request
                    .putInt("xlated_prog_len", length)
                    .putPointer("xlated_prog_insns", buffer));
            return buffer.asSlice(0, Math.min(length, info.getInt("xlated_prog_len"))).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** BPF_OBJ_GET_INFO_BY_FD into a bpf_prog_info that {@code request} may first point at buffers. */
    private Struct queryInfo(Arena arena, Consumer<Struct> request) {
        Struct info = new Struct(arena, Layouts.PROG_INFO);
        request.accept(info);
        Struct attr = new Struct(arena, Layouts.OBJ_INFO)
                .putInt("bpf_fd", fd())
                .putInt("info_len", (int) info.size())
                .putPointer("info", info.segment());
        BpfSyscall.check(BpfCommand.OBJ_GET_INFO_BY_FD, attr);
        return info;
    }

    private static MemorySegment buffer(Arena arena, int capacity) {
        return capacity == 0 ? MemorySegment.NULL : arena.allocate(capacity);
    }

    private static byte[] copy(MemorySegment buffer, int size) {
        if (buffer.equals(MemorySegment.NULL)) {
            return new byte[0];
        }
        return buffer.asSlice(0, Math.min(size, buffer.byteSize())).toArray(ValueLayout.JAVA_BYTE);
    }

    private static String testRunDetail(int errno, TestRun run, Struct attr) {
        if (errno == Errno.ENOSPC) {
            return "output larger than its buffer (data_out " + run.dataOutCapacity() + " bytes, the program's "
                    + Integer.toUnsignedLong(attr.getInt("data_size_out")) + "; ctx_out " + run.ctxOutCapacity()
                    + " bytes, the program's " + Integer.toUnsignedLong(attr.getInt("ctx_size_out")) + ")";
        }
        if (errno == Errno.EINVAL) {
            return "the kernel refused the input (" + run.dataIn().length + " bytes of data, "
                    + (run.ctxIn() == null ? "no" : run.ctxIn().length + " bytes of") + " context, flags 0x"
                    + Integer.toHexString(run.flags()) + "); packets must be at least 14 bytes (ETH_HLEN), and for"
                    + " skb programs at most about 3.7 KiB (a page less headroom and skb_shared_info)";
        }
        return null;
    }

    @Override
    public String toString() {
        return type + " program \"" + name + "\"";
    }
}

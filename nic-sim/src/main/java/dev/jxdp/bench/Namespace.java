package dev.jxdp.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.jxdp.kernel.ToolRun;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace the kernel reference of a load test makes for its veths, removed with
 * everything in it on {@link #close()}. Its name starts with {@code prefix} (callers pass a prefix of
 * their own, so that concurrent runs on one machine never meet). A thread joins it with
 * {@link #enterThisThread()}: setns(2) moves only the calling thread, and BPF_PROG_TEST_RUN looks up
 * {@code ingress_ifindex} in the namespace of the thread that calls it.
 */
@SuppressWarnings("restricted") // setns(2) has no Java API
public final class Namespace implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x4000_0000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETNS = downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final String name;

    private Namespace(String name) {
        this.name = name;
    }

    private static MethodHandle downcall(String fn, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(fn).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + fn)), d,
                Linker.Option.captureCallState("errno"));
    }

    /** {@code ip netns add PREFIX<hex>} with lo up. */
    public static Namespace create(String prefix) throws IOException {
        String name = prefix + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24));
        run(List.of("ip", "netns", "add", name));
        Namespace ns = new Namespace(name);
        try {
            ns.ip("link", "set", "lo", "up");
        } catch (IOException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** {@code ip -n NAME ARGS...}. */
    public String ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** {@code ip netns exec NAME COMMAND...}. */
    public String exec(String... command) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return run(cmd);
    }

    /** The ifindex of {@code device} in this namespace. */
    public int ifindex(String device) throws IOException {
        String line = ip("-o", "link", "show", "dev", device).strip();
        return Integer.parseInt(line.substring(0, line.indexOf(':')));
    }

    /** Moves the calling thread (only it) into this namespace, for good: use a thread of its own. */
    public void enterThisThread() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom("/run/netns/" + name), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IOException("cannot open /run/netns/" + name + ": errno " + state.get(JAVA_INT, ERRNO));
            }
            int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
            int errno = state.get(JAVA_INT, ERRNO);
            int ignored = (int) CLOSE.invokeExact(state, fd);
            if (rc != 0) {
                throw new IOException("setns into " + name + " failed: errno " + errno + (errno == 1 ? " (EPERM: needs CAP_SYS_ADMIN)" : ""));
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    @Override
    public void close() {
        try {
            run(List.of("ip", "netns", "del", name));
        } catch (IOException e) {
            System.getLogger(Namespace.class.getName()).log(System.Logger.Level.WARNING, "could not remove namespace " + name + ": " + e.getMessage());
        }
    }

    /** Runs a command; its output, or an IOException with the command and what it printed. */
    static String run(List<String> cmd) throws IOException {
        ToolRun r = ToolRun.of(cmd, Duration.ofSeconds(60));
        if (!r.ok()) {
            throw new IOException(String.join(" ", cmd) + ": " + r.output().strip().lines().reduce((a, b) -> b).orElse("exit " + r.status()));
        }
        return r.output();
    }
}

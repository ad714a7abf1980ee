package dev.jxdp.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor that bpf() returned for a kernel object. The object lives until the last
 * descriptor referring to it is closed, and nothing here pins it, so closing the handle frees it.
 * {@link #close()} may be called any number of times; after it, {@link #fd()} throws rather than hand
 * out a number the process may already have reused for another file.
 */
public abstract sealed class BpfFd implements AutoCloseable permits BpfProgram, BpfMap {
    private final AtomicInteger fd;

    BpfFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("invalid fd " + fd);
        }
        this.fd = new AtomicInteger(fd);
    }

    /** The descriptor number, for passing to other bpf() calls; throws if the handle is closed. */
    public int fd() {
        int value = fd.get();
        if (value < 0) {
            throw new IllegalStateException(this + " is closed");
        }
        return value;
    }

    public boolean isOpen() {
        return fd.get() >= 0;
    }

    /** Closes the descriptor once; later calls do nothing. */
    @Override
    public void close() {
        int value = fd.getAndSet(-1);
        if (value >= 0) {
            Libc.close(value); // Linux releases the fd even if close reports an error: nothing to retry
        }
    }
}

package dev.jxdp.maps;

import dev.jxdp.kernel.Errno;

/**
 * A map operation from user space failed as the kernel would fail it: the errno, named as
 * {@link Errno} names it, with the map and the command. The message reads like the kernel backend's
 * ({@code dev.jxdp.kernel.BpfException}): {@code map 'flows': BPF_MAP_UPDATE_ELEM failed with EEXIST (File exists)}.
 */
public final class MapException extends RuntimeException {
    private final Errno errno;
    private final String command;

    public MapException(String map, String command, int errno) {
        this(map, command, errno, null);
    }

    public MapException(String map, String command, int errno, String detail) {
        super((map == null ? "" : "map '" + map + "': ") + command + " failed with " + Errno.of(errno)
                + (detail == null ? "" : ": " + detail));
        this.errno = Errno.of(errno);
        this.command = command;
    }

    public Errno errno() {
        return errno;
    }

    /** The bpf() command the failure stands for, e.g. {@code BPF_MAP_UPDATE_ELEM}. */
    public String command() {
        return command;
    }
}

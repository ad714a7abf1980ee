package dev.jxdp.kernel;

/**
 * A bpf() system call failed. The message's first line names the command and the errno:
 * {@code bpf(BPF_MAP_UPDATE_ELEM) failed with EEXIST (File exists)}.
 */
public sealed class BpfException extends RuntimeException permits ProgLoadException {
    private final String command;
    private final Errno errno;

    BpfException(BpfCommand command, Errno errno, String message) {
        super(message);
        this.command = command.kernelName();
        this.errno = errno;
    }

    /** The plain failure of {@code command}, with an optional detail after the errno. */
    static BpfException of(BpfCommand command, Errno errno, String detail) {
        String line = "bpf(" + command.kernelName() + ") failed with " + errno;
        return new BpfException(command, errno, detail == null || detail.isEmpty() ? line : line + ": " + detail);
    }

    /** The command's kernel name, e.g. {@code BPF_PROG_LOAD}. */
    public String command() {
        return command;
    }

    public Errno errno() {
        return errno;
    }
}

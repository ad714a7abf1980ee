package dev.jxdp.load;

import java.util.List;

/**
 * A program calls helpers that jxdp does not implement for its type: refused when the object loads,
 * never when the call runs. The message names each helper as the kernel names it ({@code bpf_foo#N})
 * and the program.
 */
public final class UnsupportedHelperException extends LoadException {
    private final String program;
    private final List<Integer> ids;

    UnsupportedHelperException(String program, String type, List<Integer> ids) {
        super("program '" + program + "' (" + type + ") calls "
                + ids.stream().map(dev.jxdp.helpers.HelperIds::describe).collect(java.util.stream.Collectors.joining(", "))
                + ", which jxdp does not implement for " + type + " programs");
        this.program = program;
        this.ids = List.copyOf(ids);
    }

    public String program() {
        return program;
    }

    public List<Integer> helperIds() {
        return ids;
    }
}

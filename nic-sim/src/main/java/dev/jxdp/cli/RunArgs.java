package dev.jxdp.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * The words after FILE in {@code jxdp prog run}, in bpftool's grammar:
 * {@code data_in FILE [data_out FILE [data_size_out L]] [ctx_in FILE [ctx_out FILE [ctx_size_out M]]] [repeat N]}.
 * As in bpftool, FILE may be {@code -} (standard input for data_in/ctx_in, a hex dump on standard output
 * for data_out/ctx_out), and data_size_out defaults to 32 KiB and ctx_size_out too.
 */
record RunArgs(String dataIn, String dataOut, int dataSizeOut, String ctxIn, String ctxOut, int ctxSizeOut, int repeat) {
    /** bpftool's default output buffer: SZ_32K. */
    static final int DEFAULT_SIZE_OUT = 32 * 1024;

    /** The words bpftool prog run takes after the program, each with a value. */
    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("data_in", "data_out", "data_size_out", "ctx_in", "ctx_out",
            "ctx_size_out", "repeat");

    static RunArgs parse(CommandLine cmd, List<String> words) {
        String dataIn = null;
        String dataOut = null;
        String ctxIn = null;
        String ctxOut = null;
        long dataSizeOut = 0;
        long ctxSizeOut = 0;
        long repeat = 1;
        for (int i = 0; i < words.size(); i += 2) {
            String w = words.get(i);
            if (!KEYWORDS.contains(w)) {
                // what bpftool says of an unknown word, with or without a value after it
                throw new CommandLine.ParameterException(cmd, "expected no more arguments, 'data_in', 'data_out',"
                        + " 'data_size_out', 'ctx_in', 'ctx_out', 'ctx_size_out' or 'repeat', got: '" + w + "'");
            }
            if (i + 1 >= words.size()) {
                throw new CommandLine.ParameterException(cmd, "'" + w + "' needs a value");
            }
            String v = words.get(i + 1);
            switch (w) {
                case "data_in" -> dataIn = v;
                case "data_out" -> dataOut = v;
                case "data_size_out" -> dataSizeOut = number(cmd, v, "output data size");
                case "ctx_in" -> ctxIn = v;
                case "ctx_out" -> ctxOut = v;
                case "ctx_size_out" -> ctxSizeOut = number(cmd, v, "output context size");
                case "repeat" -> repeat = number(cmd, v, "repeat number");
                default -> throw new IllegalStateException(w); // KEYWORDS and these cases are the same words
            }
        }
        if (dataIn == null) {
            throw new CommandLine.ParameterException(cmd, "missing 'data_in FILE' (the frame to run the program on)");
        }
        if ("-".equals(dataIn) && "-".equals(ctxIn)) {
            throw new CommandLine.ParameterException(cmd, "data_in and ctx_in cannot both be read from standard input");
        }
        return new RunArgs(dataIn, dataOut, (int) (dataSizeOut == 0 ? DEFAULT_SIZE_OUT : dataSizeOut), ctxIn, ctxOut,
                (int) (ctxSizeOut == 0 ? DEFAULT_SIZE_OUT : ctxSizeOut), (int) repeat);
    }

    /** strtoul(…, 0): decimal, 0x hex or 0 octal, an unsigned 32-bit value. */
    private static long number(CommandLine cmd, String text, String what) {
        try {
            long v;
            if (text.startsWith("0x") || text.startsWith("0X")) {
                v = Long.parseLong(text.substring(2), 16);
            } else if (text.length() > 1 && text.startsWith("0")) {
                v = Long.parseLong(text.substring(1), 8);
            } else {
                v = Long.parseLong(text);
            }
            if (v < 0 || v > 0xffff_ffffL) {
                throw new NumberFormatException();
            }
            return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : v;
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(cmd, "can't parse " + text + " as " + what);
        }
    }
}

package dev.jxdp.cli;

import java.io.PrintWriter;

/** bpftool's hex_print: 16 bytes a row, "%07zx\t" offset, pairs of hex bytes, "| " and the printable characters. */
final class HexDump {
    private HexDump() {}

    static void print(PrintWriter out, byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < data.length; i += 16) {
            sb.setLength(0);
            sb.append(String.format("%07x\t", i));
            int j = i;
            for (; j < i + 16 && j < data.length; j++) {
                sb.append(String.format("%02x", data[j] & 0xff)).append(j % 2 == 1 ? " " : "");
            }
            for (; j < i + 16; j++) {
                sb.append("  ").append(j % 2 == 1 ? " " : "");
            }
            sb.append("| ");
            for (j = i; j < i + 16 && j < data.length; j++) {
                char c = (char) data[j];
                sb.append(c < ' ' || c > '~' ? '.' : c).append(j == i + 7 ? " " : "");
            }
            out.println(sb);
        }
    }
}

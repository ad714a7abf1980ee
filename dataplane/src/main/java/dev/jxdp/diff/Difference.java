package dev.jxdp.diff;

import java.util.List;

/**
 * The first place jxdp and the kernel disagree.
 *
 * @param packet the packet's number, from 1 as tcpdump counts them; for a map difference, the
 *        packet after which the map first differed
 * @param field what differs: {@code outcome}, {@code retval}, {@code data_out}, {@code ctx_out} or
 *        {@code map NAME}
 * @param jxdp jxdp's value
 * @param kernel the kernel's value
 * @param context where in the program it may come from (disassembly with source lines), or details
 */
public record Difference(int packet, String field, String jxdp, String kernel, List<String> context) {
    public Difference {
        context = List.copyOf(context);
    }
}

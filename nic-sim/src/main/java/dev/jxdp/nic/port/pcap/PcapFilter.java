package dev.jxdp.nic.port.pcap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A tcpdump filter expression compiled by libpcap's compiler (pcap_compile, through pcap4j) for
 * Ethernet frames, and run by libpcap's filter machine (pcap_offline_filter): the frames a capture
 * source lets in. The expression language and its errors are libpcap's, as tcpdump uses them.
 */
public final class PcapFilter {
    /** The snapshot length the compiler assumes: tcpdump's default (MAXIMUM_SNAPLEN). */
    private static final int SNAPLEN = 262144;

    private final String expression;
    private final BpfProgram program;

    private PcapFilter(String expression, BpfProgram program) {
        this.expression = expression;
        this.program = program;
    }

    /**
     * Compiles {@code expression}.
     *
     * @throws IllegalArgumentException with libpcap's message (as tcpdump prints it after "can't parse
     *     filter expression: ") if the expression is not valid
     */
    public static PcapFilter compile(String expression) {
        try {
            // PCAP_NETMASK_UNKNOWN: a capture file has no interface whose netmask "ip broadcast" could use
            Inet4Address unknown = (Inet4Address) InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
            // a dead handle's pcap_compile leaves libpcap's reason ("syntax error") in its error buffer
            PcapHandle dead = Pcaps.openDead(DataLinkType.EN10MB, SNAPLEN);
            try {
                return new PcapFilter(expression, dead.compileFilter(expression, BpfProgram.BpfCompileMode.OPTIMIZE, unknown));
            } finally {
                dead.close();
            }
        } catch (NotOpenException e) {
            throw new AssertionError(e);
        } catch (PcapNativeException e) {
            String m = e.getMessage() == null ? "invalid expression" : e.getMessage().replaceAll("\\s+", " ").strip();
            m = m.replaceFirst("^Error occurred in \\w+\\(\\): ", "").replaceFirst("^can't parse filter expression: ", "");
            throw new IllegalArgumentException("can't parse filter expression: " + m);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IllegalStateException("filter expressions need libpcap (Debian: apt-get install libpcap0.8): " + e.getMessage());
        }
    }

    public String expression() {
        return expression;
    }

    /** Whether the filter accepts a record of {@code data} (captured bytes) whose length on the wire was {@code originalLength}. */
    public boolean matches(byte[] data, int originalLength) {
        return program.applyFilter(data, originalLength, data.length);
    }

    @Override
    public String toString() {
        return "filter '" + expression + "'";
    }
}

package dev.jxdp.nic.port.pcap;

import java.io.IOException;

/** A pcap or pcapng file jxdp cannot use; the message is one line naming the file (and the record, where one is at fault). */
public final class PcapFileException extends IOException {
    public PcapFileException(String message) {
        super(message);
    }
}

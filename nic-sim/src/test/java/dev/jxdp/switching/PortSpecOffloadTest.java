package dev.jxdp.switching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@code tap:DEV,offload=on|off,lossless=on|off,mtu=N}: taps take offloads and are lossless unless told not to; MTU 1500 unless
 * given, for a UDP wire too.
 */
class PortSpecOffloadTest {
    @Test
    void aTapTakesOffloadsUnlessToldNotTo() {
        assertEquals(new PortSpec.Tap("t0", "t0", 1, true, true, 1500), PortSpec.parse("tap:t0", 0, false));
        assertEquals(new PortSpec.Tap("t0", "t0", 1, true, true, 1500), PortSpec.parse("tap:t0,offload=on,lossless=on", 0, false));
        assertEquals(new PortSpec.Tap("x", "t0", 2, false, true, 1500), PortSpec.parse("tap:t0,offload=off,name=x,queues=2", 0, false));
        assertEquals(new PortSpec.Tap("t0", "t0", 1, true, false, 1500), PortSpec.parse("tap:t0,lossless=off", 0, false));
        assertEquals(new PortSpec.Tap("t0", "t0", 1, false, true, 9000), PortSpec.parse("tap:t0,offload=off,mtu=9000", 0, false));
    }

    @Test
    void aUdpWireHasAnMtuToo() {
        var peer = new java.net.InetSocketAddress("127.0.0.1", 9);
        assertEquals(new PortSpec.Udp("udp3", peer, new java.net.InetSocketAddress(9), 1, 1500), PortSpec.parse("udp:127.0.0.1:9", 3, false));
        assertEquals(new PortSpec.Udp("w", peer, new java.net.InetSocketAddress(9), 1, 8000), PortSpec.parse("udp:127.0.0.1:9,mtu=8000,name=w", 3, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("udp:127.0.0.1:9,mtu=0", 0, false));
        assertEquals("--port udp:127.0.0.1:9,mtu=0: mtu must be 68 to 65535, not '0'", e.getMessage());
    }

    @Test
    void anMtuOutsideWhatATapTakesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("tap:t0,mtu=67", 0, false));
        assertEquals("--port tap:t0,mtu=67: mtu must be 68 to 65535, not '67'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("tap:t0,mtu=big", 0, false));
        assertEquals("--port tap:t0,mtu=big: mtu must be 68 to 65535, not 'big'", e.getMessage());
    }

    @Test
    void anOffloadValueOtherThanOnOrOffIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("tap:t0,offload=yes", 0, false));
        assertEquals("--port tap:t0,offload=yes: offload must be on or off, not 'yes'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("tap:t0,lossless=1", 0, false));
        assertEquals("--port tap:t0,lossless=1: lossless must be on or off, not '1'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("udp:127.0.0.1:9,offload=on", 0, false));
        assertEquals("--port udp:127.0.0.1:9,offload=on: unknown option 'offload' (name, queues, listen, mtu)", e.getMessage());
    }
}

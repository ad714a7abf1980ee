package dev.jxdp.nic;

/** Where a port is in its life. */
public enum PortState {
    /** Made, not started. */
    CREATED,
    /** Receiving and transmitting. */
    UP,
    /** Stopped by a fault (its device vanished, its file was bad): {@link Port#downReason()} says why; the others go on. */
    DOWN,
    /** Stopped and its resources given back. */
    CLOSED
}

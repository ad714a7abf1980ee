package dev.jxdp.hooks;

/**
 * What became of a frame the pipeline took in: its fate, where it went, and the verdict of each hook
 * it passed. One per worker, reused for every frame (read it before the next).
 */
public final class Outcome {
    /** Where a frame ended. */
    public enum Fate {
        /** Dropped by a verdict (XDP_DROP, TC_ACT_SHOT) or because it could not go where it was sent. */
        DROPPED,
        /** Dropped by XDP_ABORTED, an unknown XDP action, or a program fault (counted as an exception). */
        ABORTED,
        /** Sent out of a port (XDP_TX, an XDP redirect, tc egress). */
        TRANSMITTED,
        /** Handed to the host stack after tc ingress. */
        TO_HOST,
        /** Queued to another worker by a cpumap redirect. */
        TO_CPU,
        /** Given to an AF_XDP socket by an xskmap redirect. */
        TO_SOCKET,
        /** Taken by tc (TC_ACT_STOLEN, QUEUED, TRAP): neither passed nor counted as a drop. */
        CONSUMED
    }

    /** No program ran at a hook. */
    public static final long NONE = Long.MIN_VALUE;

    Fate fate;
    Port port;
    int deliveries;
    long xdpVerdict = NONE;
    long tcIngressVerdict = NONE;
    long tcEgressVerdict = NONE;
    String reason;
    Fault fault;
    int cpu = -1;

    /*
     * The reference fields are written only when they change: a frame's port, reason and fault are
     * mostly the last frame's (the same port, none), and every reference store costs G1's write
     * barriers, several per frame on a path of a few tens of nanoseconds.
     */

    void reset(Port in) {
        fate = null;
        cpu = -1;
        if (port != in) {
            port = in;
        }
        deliveries = 0;
        xdpVerdict = tcIngressVerdict = tcEgressVerdict = NONE;
        if (reason != null) {
            reason = null;
        }
        if (fault != null) {
            fault = null;
        }
    }

    void end(Fate f, Port where, String why) {
        if (fate == null || fate == Fate.TRANSMITTED && f == Fate.TRANSMITTED) {
            fate = f;
            if (port != where) {
                port = where;
            }
            if (reason != why) {
                reason = why;
            }
        }
        if (f == Fate.TRANSMITTED || f == Fate.TO_HOST || f == Fate.TO_SOCKET || f == Fate.TO_CPU) {
            deliveries++;
        }
    }

    public Fate fate() {
        return fate;
    }

    /** The port the frame left through (TRANSMITTED) or arrived on (TO_HOST and the rest). */
    public Port port() {
        return port;
    }

    /** How many copies went somewhere (more than one for a devmap broadcast). */
    public int deliveries() {
        return deliveries;
    }

    /** The XDP chain's verdict (r0), or {@link #NONE}. */
    public long xdpVerdict() {
        return xdpVerdict;
    }

    /** The tc ingress verdict, or {@link #NONE}. */
    public long tcIngressVerdict() {
        return tcIngressVerdict;
    }

    /** The last tc egress verdict, or {@link #NONE}. */
    public long tcEgressVerdict() {
        return tcEgressVerdict;
    }

    /** Why it was dropped, when the verdict alone does not say (a redirect that failed, a fault), or null. */
    public String reason() {
        return reason;
    }

    /** The worker a cpumap redirect queued the frame to ({@link Fate#TO_CPU}), or -1. */
    public int cpu() {
        return cpu;
    }

    /** The program fault that aborted it, or null. */
    public Fault fault() {
        return fault;
    }

    @Override
    public String toString() {
        return fate + (port == null ? "" : " " + port.name()) + (reason == null ? "" : " (" + reason + ")");
    }
}

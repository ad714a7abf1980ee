package dev.jxdp.hooks;

/**
 * What packet helpers reach outside the packet: the devices (ports) by ifindex, the routes and
 * neighbours bpf_fib_lookup consults, and delivery of the copies bpf_clone_redirect makes. The
 * {@link Pipeline} is one; BPF_PROG_TEST_RUN's world ({@link #loopback()}) has only the loopback
 * device, as a fresh network namespace.
 */
public interface Network {

    /** The device with this ifindex, or null. */
    Device device(int ifindex);

    /** The routes and neighbours bpf_fib_lookup looks in. */
    RouteTable routes();

    /**
     * Delivers a copy of a packet made by bpf_clone_redirect to {@code target}'s egress (or ingress with
     * BPF_F_INGRESS); returns 0 or a negative errno, as the helper does.
     */
    int cloneRedirect(Skb clone, Device target, boolean ingress);

    /** Only the loopback device, no routes; clones sent to it are dropped, as the loopback device of test runs would take them. */
    static Network loopback() {
        return LoopbackNetwork.INSTANCE;
    }
}

package dev.jxdp.hooks;

/** {@link Network#loopback()}: a namespace with nothing but lo. */
final class LoopbackNetwork implements Network {
    static final LoopbackNetwork INSTANCE = new LoopbackNetwork();

    private final RouteTable routes = new RouteTable();

    private LoopbackNetwork() {}

    @Override
    public Device device(int ifindex) {
        return ifindex == Device.LOOPBACK.ifindex() ? Device.LOOPBACK : null;
    }

    @Override
    public RouteTable routes() {
        return routes;
    }

    @Override
    public int cloneRedirect(Skb clone, Device target, boolean ingress) {
        return 0;
    }
}

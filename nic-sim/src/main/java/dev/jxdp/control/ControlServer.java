package dev.jxdp.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The control endpoint of a running switch: HTTP/1.1 on 127.0.0.1 only (no authentication, so never
 * on an outside address), one Netty event loop thread, requests answered by {@link ControlHandler}.
 * Nothing it does touches the packet path but reading counters and the bpf() map operations, which
 * are as safe under traffic as a program's own map calls.
 */
public final class ControlServer implements AutoCloseable {
    /** Requests are small JSON bodies; anything larger is refused (413) before it is buffered. */
    private static final int MAX_REQUEST = 1 << 20;

    private final EventLoopGroup group;
    private final Channel channel;

    private ControlServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Listens on 127.0.0.1:{@code port} (0: a free port the kernel picks).
     *
     * @throws IOException naming the address if it cannot be bound
     */
    public static ControlServer start(int port, ControlApi api) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("control port " + port + " is not 0 to 65535");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                (java.util.concurrent.ThreadFactory) r -> Thread.ofPlatform().name("jxdp-control").daemon().unstarted(r),
                NioIoHandler.newFactory());
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST), new ControlHandler(api));
                        }
                    })
                    .bind(at).sync().channel();
            return new ControlServer(group, ch);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String why = e instanceof BindException b ? b.getMessage() : e.toString();
            throw new IOException("control endpoint: cannot listen on " + at.getHostString() + ":" + port + ": " + why, e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public String host() {
        return ((InetSocketAddress) channel.localAddress()).getAddress().getHostAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}

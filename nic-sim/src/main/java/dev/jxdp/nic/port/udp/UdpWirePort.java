package dev.jxdp.nic.port.udp;

import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.frame.Frame;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A port whose wire is UDP: each Ethernet frame travels as one datagram, so two jxdp instances (or a
 * jxdp and a test peer) can be cabled across hosts. It listens on a local address and sends to its
 * peer; without a configured peer it sends to whoever sent to it last (the far end of the cable).
 * Built on a Netty datagram channel with its own event loop: received datagrams are copied into
 * frame buffers on that loop, transmitted frames are copied into buffers of Netty's pooled allocator
 * and written, one flush per transmit batch.
 */
public final class UdpWirePort extends Port {
    private final InetSocketAddress local;
    private final InetSocketAddress peer;
    private volatile InetSocketAddress learned;
    private EventLoopGroup group;
    private Channel channel;

    /** Datagrams from a sender other than the configured peer: dropped, and counted here. */
    public final dev.jxdp.nic.Counter strangers = new dev.jxdp.nic.Counter();

    /**
     * @param local where to listen (port 0: any free port, see {@link #localAddress()})
     * @param peer where to send, or null to send to the last sender
     */
    public UdpWirePort(String name, PortConfig config, InetSocketAddress local, InetSocketAddress peer) {
        super(name, config);
        this.local = local;
        this.peer = peer;
    }

    @Override
    public String describe() {
        return "UDP wire " + text(localAddress()) + " <-> " + (peer != null ? text(peer) : "last sender");
    }

    /**
     * An address as iproute2's ss prints one: {@code 127.0.0.1:47002}, {@code [::]:47001} (RFC 5952's
     * short IPv6 form in brackets), numeric, never a hostname looked up. InetSocketAddress's own
     * toString would give {@code /[0:0:0:0:0:0:0:0]:47001} or {@code localhost/127.0.0.1:47002}.
     */
    static String text(InetSocketAddress a) {
        return NetUtil.toSocketAddressString(a);
    }

    /** The address the port listens on (after start). */
    public InetSocketAddress localAddress() {
        return channel == null ? local : (InetSocketAddress) channel.localAddress();
    }

    @Override
    protected void open() throws IOException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    // one byte more than a buffer holds, so that a datagram too long for a frame shows as such
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(config().layout().frameRoom() + 1))
                    .option(ChannelOption.SO_RCVBUF, 4 << 20)
                    .handler(new Receiver())
                    .bind(local).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot listen on UDP " + text(local) + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected boolean hasReceiver() {
        return true;
    }

    @Override
    protected boolean hasTransmitter() {
        return true;
    }

    /** Datagrams arrive on Netty's event loop (the receiver below); this thread only waits for the stop. */
    @Override
    protected void receiveLoop() {
        while (receiving()) {
            LockSupport.parkNanos(50_000_000);
        }
    }

    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (!receiving()) {
                return;
            }
            if (peer != null && !peer.equals(packet.sender())) {
                strangers.increment();
                return;
            }
            learned = packet.sender();
            ByteBuf content = packet.content();
            int length = content.readableBytes();
            if (length > config().layout().frameRoom()) {
                rxErrors.increment();
                return;
            }
            MemorySegment data = MemorySegment.ofBuffer(content.nioBuffer(content.readerIndex(), length));
            Frame f = newFrame();
            if (f == null) {
                missed(data, 0, length);
                return;
            }
            f.copyFrom(data, 0, length);
            Instant now = Instant.now();
            f.setTimestampNanos(now.getEpochSecond() * 1_000_000_000L + now.getNano());
            deliver(f);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            deliverDone();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP port unreachable from a peer not listening yet, and the like: a lost frame, not a dead port
            txQueue(0).errors.increment();
        }
    }

    @Override
    protected void transmit(Frame frame) throws IOException {
        InetSocketAddress to = peer != null ? peer : learned;
        if (to == null) {
            throw new IOException("no peer yet: nothing was received on " + text(localAddress()));
        }
        ByteBuf out = channel.alloc().directBuffer(frame.length());
        out.writeBytes(frame.buffer().asSlice(frame.offset(), frame.length()).asByteBuffer());
        channel.write(new DatagramPacket(out, to), channel.voidPromise());
    }

    @Override
    protected void flushTransmit() {
        channel.flush();
    }

    @Override
    protected void closeResources() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

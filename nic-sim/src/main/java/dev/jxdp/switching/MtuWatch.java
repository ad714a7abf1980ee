package dev.jxdp.switching;

import dev.jxdp.hooks.Pipeline;
import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortState;
import dev.jxdp.nic.pipeline.PipelineProcessor;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps each port's MTU in the pipeline what its interface's is now: a user who runs
 * {@code ip link set TAP mtu 9000} on a tap of a running switch (in whatever namespace it was moved
 * to) expects XDP redirects to that tap to take 9000-byte frames, as the kernel's would from the next
 * frame on (xdp_ok_fwd_dev reads dev->mtu per frame). jxdp looks once per period (a second by
 * default), so a change takes effect within that; the kernel's is immediate. (Listening to rtnetlink
 * would be immediate too, but a tap moved to another namespace reports there, to a socket jxdp would
 * have to open in each namespace its taps move to.)
 *
 * <p>An interface MTU larger than the port's buffers hold ({@link dev.jxdp.nic.PortConfig#maxMtu()})
 * is held to that, with a warning: a frame longer could not be carried anyway. A port that is down is
 * not asked; a failed read is logged once per message, and looked at again next time.
 */
final class MtuWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MtuWatch.class.getName());

    private final List<Port> ports;
    private final PipelineProcessor processor;
    private final long periodNanos;
    /** What each port's interface said last (raw, before holding it to the buffers): a change is logged once. */
    private final Map<Port, Integer> seen = new HashMap<>();
    private final Map<Port, String> failures = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private MtuWatch(List<Port> ports, PipelineProcessor processor, Duration period) {
        this.ports = List.copyOf(ports);
        this.processor = processor;
        this.periodNanos = period.toNanos();
        ports.forEach(p -> seen.put(p, processor.port(p).device().mtu()));
        this.thread = Thread.ofPlatform().name("jxdp-mtu-watch").daemon().unstarted(this::run);
    }

    /** Starts watching {@code ports} (ports of {@code processor}'s pipeline) every {@code period}. */
    static MtuWatch start(List<Port> ports, PipelineProcessor processor, Duration period) {
        MtuWatch w = new MtuWatch(ports, processor, period);
        w.thread.start();
        return w;
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(this, periodNanos);
            if (running) {
                check();
            }
        }
    }

    /** One look at every port (on the watching thread: a tap's read enters its namespace for a moment). */
    private void check() {
        Pipeline pipeline = processor.pipeline();
        for (Port p : ports) {
            if (p.state() != PortState.UP) {
                continue;
            }
            OptionalInt now;
            try {
                now = p.linkMtu();
                failures.remove(p);
            } catch (IOException | RuntimeException e) {
                String message = e.getMessage() != null ? e.getMessage() : e.toString();
                if (!message.equals(failures.put(p, message))) {
                    LOG.log(System.Logger.Level.WARNING, "port {0} ({1}): cannot read its interface''s MTU: {2}", p.name(), p.describe(), message);
                }
                continue;
            }
            if (now.isEmpty() || now.getAsInt() == seen.get(p)) {
                continue;
            }
            int raw = now.getAsInt();
            int was = seen.put(p, raw);
            int held = Math.min(raw, p.config().maxMtu());
            pipeline.setMtu(processor.port(p), held);
            if (held < raw) {
                LOG.log(System.Logger.Level.WARNING, "port {0} ({1}): MTU {2} (was {3}), more than its buffers hold: frames to it are held to MTU {4}",
                        p.name(), p.describe(), Integer.toString(raw), Integer.toString(was), Integer.toString(held));
            } else {
                LOG.log(System.Logger.Level.INFO, "port {0} ({1}): MTU {2} (was {3})", p.name(), p.describe(), Integer.toString(raw),
                        Integer.toString(was));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

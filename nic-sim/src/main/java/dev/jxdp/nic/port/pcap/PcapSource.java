package dev.jxdp.nic.port.pcap;

import dev.jxdp.nic.Port;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.frame.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A port whose wire is a capture file: it receives the file's frames, paced like tcpreplay
 * ({@link Pacing}), {@code loops} times (0: forever), each frame stamped with its capture timestamp
 * (nanoseconds kept). It transmits nothing.
 *
 * <p>A full receive ring drops the frame and counts rx_missed, as a NIC fed faster than it is polled;
 * {@link Options#lossless()} makes the file wait for room instead, for replays that must see every
 * frame. A corrupt record takes the port down with a reason naming the file and the record; the
 * frames before it were delivered.
 */
public final class PcapSource extends Port {
    /**
     * @param pacing how fast
     * @param loops how many times through the file (tcpreplay's --loop; 0 loops forever)
     * @param lossless wait for room in a full ring instead of dropping
     * @param filter only the records this tcpdump expression accepts are received (null: all); the
     *     others are skipped and take no time in the pacing
     */
    public record Options(Pacing pacing, int loops, boolean lossless, PcapFilter filter) {
        public Options {
            if (loops < 0) {
                throw new IllegalArgumentException("--loop must be 0 (forever) or more, not " + loops);
            }
        }

        public Options(Pacing pacing, int loops, boolean lossless) {
            this(pacing, loops, lossless, null);
        }

        /** Once through, at the captured speed, a NIC's losses, no filter. */
        public static Options defaults() {
            return new Options(Pacing.original(), 1, false, null);
        }

        public Options withPacing(Pacing p) {
            return new Options(p, loops, lossless, filter);
        }

        public Options withLoops(int n) {
            return new Options(pacing, n, lossless, filter);
        }

        public Options withLossless(boolean l) {
            return new Options(pacing, loops, l, filter);
        }

        public Options withFilter(PcapFilter f) {
            return new Options(pacing, loops, lossless, f);
        }
    }

    private final Path file;
    private final Options options;
    private final Pacer.Clock clock;
    private final CountDownLatch finished = new CountDownLatch(1);
    private PcapReader reader;
    private volatile long framesRead;
    private volatile long filteredOut;
    private volatile int loopsDone;

    /**
     * A looped capture this size or smaller is read from the file once and replayed from memory after
     * that: pcap4j cannot rewind an offline handle, and opening the file again for every pass held a
     * looped 36-frame capture to about 0.15 Mpps in {@code jxdp bench}. Larger ones are read again each
     * pass, as before.
     */
    static final long CACHE_LIMIT = 64L << 20;

    /** One record as the first pass read it: its bytes (whole), capture time and original length. */
    private record Record(byte[] data, long timestampNanos, int originalLength) {}

    public PcapSource(String name, PortConfig config, Path file, Options options) {
        this(name, config, file, options, Pacer.SYSTEM);
    }

    PcapSource(String name, PortConfig config, Path file, Options options, Pacer.Clock clock) {
        super(name, config);
        this.file = file;
        this.options = options;
        this.clock = clock;
    }

    @Override
    public String describe() {
        return "pcap source " + file;
    }

    public Path file() {
        return file;
    }

    /** Frames read from the file so far (over all loops). */
    public long framesRead() {
        return framesRead;
    }

    /** Records the filter refused so far (over all loops). */
    public long filteredOut() {
        return filteredOut;
    }

    /** Loops completed. */
    public int loopsDone() {
        return loopsDone;
    }

    /** Whether the replay is over (every loop done, the port down, or stopped). */
    public boolean finished() {
        return finished.getCount() == 0;
    }

    /** Waits until the replay is over; false on timeout. */
    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    @Override
    protected void open() throws IOException {
        reader = PcapReader.open(file).filter(options.filter()); // a bad file fails here, before anything starts
    }

    @Override
    protected boolean hasReceiver() {
        return true;
    }

    @Override
    protected boolean hasTransmitter() {
        return false;
    }

    @Override
    protected void receiveLoop() throws IOException {
        try {
            Pacer pacer = new Pacer(options.pacing(), clock);
            List<Record> cache = options.loops() != 1 && Files.size(file) <= CACHE_LIMIT ? new ArrayList<>() : null;
            for (int loop = 0; options.loops() == 0 || loop < options.loops(); loop++) {
                boolean fromMemory = cache != null && loop > 0;
                if (loop > 0 && !fromMemory) {
                    filteredOut += reader.filteredOut();
                    reader.close();
                    reader = PcapReader.open(file).filter(options.filter()); // pcap4j cannot rewind an offline handle
                }
                pacer.startLoop();
                Iterator<Record> memory = fromMemory ? cache.iterator() : null;
                boolean more = replayOnce(pacer, () -> {
                    if (memory != null) {
                        return memory.hasNext() ? memory.next() : null;
                    }
                    byte[] data = reader.nextBytes();
                    if (data == null) {
                        return null;
                    }
                    Record r = new Record(data, reader.lastTimestampNanos(), reader.lastOriginalLength());
                    if (cache != null) {
                        cache.add(r);
                    }
                    return r;
                });
                if (!more) {
                    return;
                }
                loopsDone = loop + 1;
                if (fromMemory) {
                    filteredOut += reader.filteredOut(); // each pass from memory refuses what the first refused
                }
                if (reader.records() == reader.filteredOut()) {
                    return; // an empty capture (or one the filter empties) would loop forever doing nothing
                }
            }
        } catch (IOException e) {
            down(e.getMessage()); // before finished() turns true, so that whoever waits sees why
        } finally {
            if (reader != null) {
                filteredOut += reader.filteredOut();
            }
            finished.countDown();
        }
    }

    /** The next record of a pass, or null at its end. */
    private interface Records {
        Record next() throws IOException;
    }

    /** One pass over the capture; false if the port stopped. */
    private boolean replayOnce(Pacer pacer, Records records) throws IOException {
        int batch = 0;
        while (receiving()) {
            Frame f = newFrame();
            if (f == null) {
                // Every buffer is in flight: a lossless replay waits, a NIC counts the frame missed.
                if (options.lossless()) {
                    deliverDone();
                    clock.waitUntil(clock.nanoTime() + 20_000);
                    continue;
                }
                if (records.next() == null) {
                    return true;
                }
                framesRead++;
                rxQueue(0).missed.increment();
                continue;
            }
            Record r;
            try {
                r = records.next();
            } catch (IOException e) {
                f.release();
                throw e;
            }
            if (r == null) {
                f.release();
                deliverDone();
                return true;
            }
            framesRead++;
            f.copyFrom(r.data(), 0, Math.min(r.data().length, f.maxLength()));
            f.setTimestampNanos(r.timestampNanos());
            if (r.originalLength() > f.maxLength()) {
                rxErrors.increment(); // delivered cut to the buffer's room, and counted
            }
            long due = pacer.deadline(f.timestampNanos(), f.length());
            if (clock.nanoTime() - due < 0) {
                deliverDone(); // the workers get what is ready before this thread waits
                batch = 0;
                while (receiving() && clock.nanoTime() - due < 0) {
                    clock.waitUntil(due);
                }
            }
            if (options.lossless() ? !deliverWaiting(f) : !deliver(f) && !receiving()) {
                return false;
            }
            if (++batch == 64) {
                deliverDone();
                batch = 0;
            }
        }
        return false;
    }

    @Override
    protected void closeResources() {
        if (reader != null) {
            reader.close();
        }
        finished.countDown();
    }
}

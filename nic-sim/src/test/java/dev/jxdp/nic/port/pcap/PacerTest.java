package dev.jxdp.nic.port.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The send schedule of each pacing, on a clock that never moves by itself: the expected times are
 * those tcpreplay's manual gives (2.0 replays at twice the captured speed, 200 pps is one packet every
 * 5 ms, N Mbps gives each frame's bits their time at that rate).
 */
class PacerTest {
    private static final long MS = 1_000_000;

    /** Starts at 1000 s and jumps to each deadline as if the wait had taken exactly that long. */
    private static final class FakeClock implements Pacer.Clock {
        long now = 1_000_000 * MS;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void waitUntil(long deadline) {
            now = Math.max(now, deadline);
        }
    }

    private static List<Long> schedule(Pacing pacing, int loops, long[] timestamps, int length) {
        FakeClock clock = new FakeClock();
        long start = clock.now;
        Pacer pacer = new Pacer(pacing, clock);
        List<Long> sent = new ArrayList<>();
        for (int loop = 0; loop < loops; loop++) {
            pacer.startLoop();
            for (long ts : timestamps) {
                clock.waitUntil(pacer.deadline(ts, length));
                sent.add((clock.now - start) / MS);
            }
        }
        return sent;
    }

    private static final long[] CAPTURE = {5000 * MS, 6000 * MS, 6500 * MS, 6500 * MS, 9000 * MS};

    @Test
    void originalTimingKeepsTheCapturedGaps() {
        assertEquals(List.of(0L, 1000L, 1500L, 1500L, 4000L), schedule(Pacing.original(), 1, CAPTURE, 100));
    }

    @Test
    void aMultiplierOfTwoIsTwiceAsFastAndPointSevenIsSeventyPercent() {
        assertEquals(List.of(0L, 500L, 750L, 750L, 2000L), schedule(new Pacing.Original(2.0), 1, CAPTURE, 100));
        assertEquals(List.of(0L, 1428L, 2142L, 2142L, 5714L), schedule(new Pacing.Original(0.7), 1, CAPTURE, 100));
    }

    @Test
    void eachLoopStartsAgainRightAfterThePreviousOne() {
        assertEquals(List.of(0L, 1000L, 1500L, 1500L, 4000L, 4000L, 5000L, 5500L, 5500L, 8000L), schedule(Pacing.original(), 2, CAPTURE, 100));
    }

    @Test
    void ppsSpacesPacketsEvenlyWhateverTheCaptureSays() {
        assertEquals(List.of(0L, 5L, 10L, 15L, 20L), schedule(new Pacing.Pps(200), 1, CAPTURE, 100));
        // 0.25 pps is 15 packets a minute: one every 4 s
        assertEquals(List.of(0L, 4000L, 8000L, 12000L, 16000L), schedule(new Pacing.Pps(0.25), 1, CAPTURE, 100));
        // and the rate carries on across loops
        assertEquals(List.of(0L, 5L, 10L, 15L, 20L, 25L, 30L, 35L, 40L, 45L), schedule(new Pacing.Pps(200), 2, CAPTURE, 100));
    }

    @Test
    void mbpsGivesEachFramesBitsTheirTime() {
        // 1000-byte frames at 1 Mbps: 8000 bits, 8 ms each
        assertEquals(List.of(0L, 8L, 16L, 24L, 32L), schedule(new Pacing.Mbps(1), 1, CAPTURE, 1000));
    }

    @Test
    void topSpeedNeverWaits() {
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L), schedule(new Pacing.TopSpeed(), 1, CAPTURE, 1000));
    }

    @Test
    void timestampsThatGoBackwardsSendAtOnce() {
        long[] backwards = {5000 * MS, 4000 * MS, 5500 * MS};
        assertEquals(List.of(0L, 0L, 500L), schedule(Pacing.original(), 1, backwards, 100));
    }
}

package dev.jxdp.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The grace-period rule of {@link Epochs}, worked by hand: the global epoch moves on only when every
 * thread in a read section has announced the current one, and an element retired at epoch e is
 * reusable from e + 2 on. A section held around many runs (a test run's loop, a worker's batch) keeps
 * its first announcement; the runs' nested sections neither announce again nor end it.
 */
class EpochsTest {

    @Test
    void aHeldSectionHoldsTheEpochUntilItsOutermostExit() {
        Epochs epochs = new Epochs();
        Epochs.Reader r = epochs.reader();
        long e0 = epochs.current();
        r.enter(); // the batch's section: announces e0
        assertEquals(e0 + 1, epochs.tryAdvance(), "every reader has seen e0: it moves on");
        assertEquals(e0 + 1, epochs.tryAdvance(), "the reader still announces e0: it stays");
        long retired = epochs.retirementEpoch(); // an element unlinked now
        assertFalse(epochs.safe(retired, epochs.tryAdvance()));

        r.enter(); // a run's own section, nested: no new announcement
        r.exit();
        assertTrue(r.inSection());
        assertEquals(e0 + 1, epochs.tryAdvance(), "a nested section neither announced e0 + 1 nor ended the outer one");

        r.exit(); // the batch ends
        assertFalse(r.inSection());
        assertEquals(e0 + 2, epochs.tryAdvance());
        long now = epochs.tryAdvance();
        assertEquals(e0 + 3, now, "no reader in a section: each attempt moves it on");
        assertTrue(epochs.safe(retired, now), "two epochs after its retirement the element may be reused");
    }

    @Test
    void aReaderBelongsToItsThread() throws Exception {
        Epochs epochs = new Epochs();
        Epochs.Reader mine = epochs.reader();
        assertSame(mine, epochs.reader());
        AtomicReference<Epochs.Reader> other = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> other.set(epochs.reader()));
        t.join();
        assertNotSame(mine, other.get());
        mine.enter();
        assertTrue(epochs.inSection(), "Epochs.enter/exit and the reader are the same record");
        epochs.exit();
        assertFalse(mine.inSection());
    }

    @Test
    void anExitWithoutEnterIsRefused() {
        Epochs.Reader r = new Epochs().reader();
        IllegalStateException e = assertThrows(IllegalStateException.class, r::exit);
        assertEquals("Epochs.exit() without enter()", e.getMessage());
    }
}

package dev.jxdp.diff;

import java.util.List;
import java.util.Optional;

/**
 * The result of a differential run.
 *
 * @param program the program's name
 * @param packets packets run through both sides
 * @param compared packets whose results were compared (fewer than {@code packets} when a run drew a
 *        random number: see {@link DiffRunner})
 * @param differing packets on which some field differed, plus one if the maps differed at the end
 * @param difference the first difference, if any
 * @param notes what the reader should know about the comparison (tolerances applied, where it stopped)
 */
public record DiffReport(String program, int packets, int compared, int differing, Optional<Difference> difference, List<String> notes) {
    public DiffReport {
        notes = List.copyOf(notes);
    }

    public boolean same() {
        return difference.isEmpty();
    }

    /** {@code 37 packets, 0 differences}, the summary line of {@code jxdp diff} (with the count compared if fewer). */
    public String summary() {
        return packets + " packet" + (packets == 1 ? "" : "s") + ", " + differing + " difference" + (differing == 1 ? "" : "s")
                + (compared < packets ? " (" + compared + " compared: see the notes)" : "");
    }
}

package dev.jxdp.control;

import dev.jxdp.maps.EbpfMap;
import java.util.List;

/** What a running switch shows through its control endpoint ({@link ControlServer}). */
public interface ControlApi {
    /** Every counter, read now. */
    SwitchStats stats();

    List<MapInfo> maps();

    List<ProgramInfo> programs();

    /** The live map with this (switch-wide) id, or null. */
    EbpfMap map(int id);
}

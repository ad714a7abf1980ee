package dev.jxdp.control;

import dev.jxdp.maps.EbpfMap;
import java.util.List;

/** A control endpoint's API over the maps of a registry alone: for tests about the map commands, not the stats. */
public final class MapsOnlyApi {
    private MapsOnlyApi() {}

    public static ControlApi of(MapRegistry registry) {
        return new ControlApi() {
            @Override
            public SwitchStats stats() {
                throw new IllegalStateException("this endpoint serves maps only");
            }

            @Override
            public List<MapInfo> maps() {
                return registry.maps();
            }

            @Override
            public List<ProgramInfo> programs() {
                return registry.programs(p -> List.of());
            }

            @Override
            public EbpfMap map(int id) {
                return registry.map(id);
            }
        };
    }
}

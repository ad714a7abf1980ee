package dev.jxdp.cli;

import dev.jxdp.maps.EbpfMap;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --dump-maps FILE}: every map of the run's objects as one JSON object,
 * {@code {"NAME": [entries], ...}}, each array exactly what {@code jxdp map dump -j} (and bpftool)
 * prints for that map, so that {@code prog run --maps FILE} reads it back. A map bpftool cannot dump
 * (a ring buffer) is {@code {"error": "..."}} with bpftool's message.
 */
final class MapsDump {
    private MapsDump() {}

    static void write(Path file, List<MapSource> sources) throws IOException {
        List<String> members = new ArrayList<>();
        for (MapSource source : sources) {
            try (source) {
                for (EbpfMap map : source.maps()) {
                    MapAccess m = source.map(List.of("id", Integer.toString(map.id())));
                    String body;
                    try {
                        JsonWriter w = new JsonWriter(false);
                        MapDumpCommand.dump(m, new MapPrinter(m, Main.Output.JSON), w, null);
                        body = w.toString().strip();
                    } catch (IllegalStateException | IllegalArgumentException e) {
                        body = "{\"error\":\"" + e.getMessage().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
                    }
                    members.add("\"" + map.name().replace("\"", "\\\"") + "\":" + body);
                }
            }
        }
        StringWriter text = new StringWriter();
        try (PrintWriter w = new PrintWriter(text)) {
            w.println("{" + String.join(",", members) + "}");
        }
        Files.writeString(file, text.toString());
    }
}

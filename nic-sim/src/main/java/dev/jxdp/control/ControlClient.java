package dev.jxdp.control;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.jxdp.maps.MapException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The client side of a running switch's control endpoint, for {@code jxdp stats} and {@code jxdp map ... --instance}. */
public final class ControlClient {
    private final RunFile instance;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ControlClient(RunFile instance) {
        this.instance = instance;
    }

    /** The client of the running instance {@code name} (found by its run file). */
    public static ControlClient of(String name) throws IOException {
        return new ControlClient(RunFile.read(name));
    }

    public RunFile instance() {
        return instance;
    }

    public SwitchStats stats() {
        return Json.MAPPER.convertValue(get("/stats", true), SwitchStats.class);
    }

    public String metrics() {
        return (String) get("/metrics", false);
    }

    public List<MapInfo> maps() {
        return Json.MAPPER.convertValue(get("/maps", true), new TypeReference<List<MapInfo>>() {});
    }

    public List<ProgramInfo> programs() {
        return Json.MAPPER.convertValue(get("/programs", true), new TypeReference<List<ProgramInfo>>() {});
    }

    /**
     * A map operation ({@link ControlHandler}'s list).
     *
     * @throws MapException with the switch's errno when the operation failed there
     */
    public MapReply map(int id, String op, MapRequest request) {
        try {
            byte[] body = Json.MAPPER.writeValueAsBytes(request);
            HttpRequest req = HttpRequest.newBuilder(uri("/maps/" + id + "/" + op)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<String> res = send(req);
            if (res.statusCode() == 200) {
                return Json.MAPPER.readValue(res.body(), MapReply.class);
            }
            ErrorReply e = Json.MAPPER.readValue(res.body(), ErrorReply.class);
            if (res.statusCode() == 409 && e.command() != null) {
                throw new MapException(null, e.command(), e.errno());
            }
            throw new IllegalStateException("jxdp instance '" + instance.name() + "': " + e.error());
        } catch (IOException e) {
            throw new IllegalStateException("jxdp instance '" + instance.name() + "' sent a reply that is not JSON: " + e.getMessage(), e);
        }
    }

    private Object get(String path, boolean json) {
        HttpRequest req = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> res = send(req);
        if (res.statusCode() != 200) {
            throw new IllegalStateException("jxdp instance '" + instance.name() + "': GET " + path + " answered " + res.statusCode()
                    + ": " + res.body());
        }
        if (!json) {
            return res.body();
        }
        try {
            return Json.MAPPER.readTree(res.body());
        } catch (IOException e) {
            throw new IllegalStateException("jxdp instance '" + instance.name() + "' sent a reply that is not JSON: " + e.getMessage(), e);
        }
    }

    private URI uri(String path) {
        return URI.create(instance.url() + path);
    }

    private HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("jxdp instance '" + instance.name() + "' (process " + instance.pid()
                    + ") does not answer at " + instance.url() + ": " + (e.getMessage() == null ? e : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

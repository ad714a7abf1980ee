package dev.jxdp.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jxdp.load.LoadedObject;
import dev.jxdp.obj.LoadOptions;
import dev.jxdp.obj.ObjectLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The control endpoint's answers to requests it cannot serve: a body that is not JSON (400, one line,
 * none of Jackson's internals), a method a path does not take (405 with Allow, RFC 9110 15.5.6), a
 * path that is not there (404).
 */
@Timeout(60)
class ControlHandlerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LoadedObject object;
    private static ControlServer server;

    @BeforeAll
    static void start() throws Exception {
        object = LoadedObject.load(ObjectLoader.load(program("xdp_l2_switch"), LoadOptions.defaults()),
                LoadedObject.Options.defaults().withoutPrograms());
        MapRegistry registry = new MapRegistry();
        registry.add(program("xdp_l2_switch"), object);
        server = ControlServer.start(0, MapsOnlyApi.of(registry));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (object != null) {
            object.close();
        }
    }

    /** programs/bin/NAME.o of this checkout (the build passes the root as jxdp.root). */
    private static Path program(String name) {
        Path p = Path.of(Optional.ofNullable(System.getProperty("jxdp.root")).orElse("")).toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("programs/bin"))) {
            p = p.getParent();
        }
        return p.resolve("programs/bin/" + name + ".o");
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + server.host() + ":" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> r) throws Exception {
        String body = r.body();
        assertFalse(body.contains("\n"), "one line: " + body);
        return Json.MAPPER.readValue(body, ErrorReply.class).error();
    }

    @Test
    void aBodyThatIsNotJsonIs400InOneLineWithoutTheParsersInternals() throws Exception {
        HttpResponse<String> r = send("POST", "/maps/0/lookup", "garbage");
        assertEquals(400, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        String e = error(r);
        assertTrue(e.startsWith("request body is not JSON: Unrecognized token 'garbage'"), e);
        assertTrue(e.endsWith("(line 1, column 8)"), e);
        for (String internal : List.of("StreamReadFeature", "Source:", "REDACTED", "dev.jxdp", "reference chain")) {
            assertFalse(e.contains(internal), e);
        }
    }

    @Test
    void jsonThatIsNotAMapRequestIs400NamingWhatIsWrong() throws Exception {
        assertEquals("request body: 'flags' is not a number (line 1, column 10)", error(send("POST", "/maps/0/update", "{\"flags\":\"x\"}")));
        assertEquals("request body: 'key' is not a string (line 1, column 8)", error(send("POST", "/maps/0/lookup", "{\"key\":{}}")));
        assertEquals("request body is not a JSON object (line 1, column 1)", error(send("POST", "/maps/0/lookup", "[1]")));
        HttpResponse<String> empty = send("POST", "/maps/0/lookup", "");
        assertEquals(400, empty.statusCode());
        assertEquals("request body is empty: expected a JSON object", error(empty));
        // a good one still works
        HttpResponse<String> ok = send("POST", "/maps/0/lookup", "{\"key\":\"020000000001\"}");
        assertEquals(200, ok.statusCode(), ok.body());
    }

    @Test
    void aMethodThePathDoesNotTakeIs405WithAllow() throws Exception {
        for (String path : List.of("/stats", "/metrics", "/maps", "/programs")) {
            for (String method : List.of("DELETE", "POST", "PUT")) {
                HttpResponse<String> r = send(method, path, method.equals("DELETE") ? null : "{}");
                assertEquals(405, r.statusCode(), method + " " + path);
                assertEquals(List.of("GET"), r.headers().allValues("allow"), method + " " + path);
                assertEquals(method + " is not allowed on " + path + " (GET is)", error(r));
            }
        }
        for (String op : List.of("lookup", "update", "delete", "next_key", "lookup_and_delete")) {
            HttpResponse<String> r = send("GET", "/maps/0/" + op, null);
            assertEquals(405, r.statusCode(), op);
            assertEquals(List.of("POST"), r.headers().allValues("allow"), op);
        }
    }

    @Test
    void aPathThatIsNotThereIsStill404() throws Exception {
        assertEquals(404, send("GET", "/nothing", null).statusCode());
        assertEquals(404, send("DELETE", "/nothing", null).statusCode());
        assertEquals(404, send("GET", "/maps/0/frobnicate", null).statusCode());
        assertEquals(404, send("POST", "/maps/99/lookup", "{}").statusCode());
    }
}

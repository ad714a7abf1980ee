package dev.jxdp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jxdp.nic.testing.Cmd;
import dev.jxdp.nic.testing.Netns;
import dev.jxdp.nic.testing.RunDirProperty;
import dev.jxdp.switching.Switch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TCP through {@code jxdp switch} between a tap and a {@code packet:} port on a veth left as the kernel
 * makes it: checksum offload and TSO on, so the stack behind the veth sends TCP segments with the
 * checksum still to fill in (CHECKSUM_PARTIAL) and, once the window opens, segments of up to 64 KB.
 * Ping alone says nothing here (ICMP's checksum is always whole); a download and an upload of a few
 * megabytes, compared byte for byte, do. Run once with the tap taking offloads (frames go on with
 * their virtio-net header) and once without (jxdp fills the checksums in and cuts the segments).
 */
@Timeout(180)
class SwitchVethOffloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A sink in the veth's namespace: reads a connection to its end, answers "BYTES SHA256" and closes. */
    private static final String SINK = """
            import hashlib, socket, sys
            s = socket.create_server((sys.argv[1], int(sys.argv[2])))
            while True:
                c, _ = s.accept()
                h, n = hashlib.sha256(), 0
                while True:
                    d = c.recv(65536)
                    if not d:
                        break
                    h.update(d)
                    n += len(d)
                c.sendall(f"{n} {h.hexdigest()}".encode())
                c.close()
            """;
    /** The client of the sink, in the tap's namespace: sends a file, prints the answer. */
    private static final String SEND = """
            import socket, sys
            c = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=20)
            c.sendall(open(sys.argv[3], "rb").read())
            c.shutdown(socket.SHUT_WR)
            print(c.recv(200).decode())
            """;

    @TempDir
    Path runDir;
    @RegisterExtension
    final RunDirProperty runDirProperty = new RunDirProperty(() -> runDir);

    @ParameterizedTest(name = "tap offload={0}")
    @ValueSource(strings = {"on", "off"})
    void tcpCrossesBetweenATapAndAVethWithTheKernelsOffloads(String tapOffload) throws Exception {
        Netns.assumeTaps();
        assumeTrue(Cmd.available("curl"), "curl is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3 for the servers");
        String tap = Netns.uniqueDevice("swt");
        String veth = Netns.uniqueDevice("swv");
        byte[] blob = new byte[3 << 20];
        new Random(9669).nextBytes(blob);
        Path www = Files.createDirectory(runDir.resolve("www"));
        Files.write(www.resolve("blob"), blob);
        Files.writeString(runDir.resolve("sink.py"), SINK);
        Files.writeString(runDir.resolve("send.py"), SEND);
        Cmd.run("ip", "link", "add", veth, "type", "veth", "peer", "name", veth + "p").orFail();
        Process http = null;
        Process sink = null;
        try (Netns nsA = Netns.create("swns"); Netns nsB = Netns.create("swns")) {
            SwitchSetup.configure(nsB, veth + "p", "10.77.5.2/24");
            Cmd.run("ip", "link", "set", veth, "up").orFail();
            try (Switch sw = SwitchSetup.start("swveth", List.of("tap:" + tap + ",offload=" + tapOffload, "packet:" + veth),
                    Cli.object("xdp_l2_switch"), 1)) {
                SwitchSetup.devmap("swveth", 2, 3);
                SwitchSetup.configure(nsA, tap, "10.77.5.1/24");
                http = new ProcessBuilder("ip", "netns", "exec", nsB.name(), "/usr/bin/python3", "-m", "http.server", "8080", "--bind",
                        "10.77.5.2", "--directory", www.toString()).redirectErrorStream(true)
                        .redirectOutput(runDir.resolve("http.log").toFile()).start();
                sink = new ProcessBuilder("ip", "netns", "exec", nsB.name(), "/usr/bin/python3", runDir.resolve("sink.py").toString(),
                        "10.77.5.2", "9000").redirectErrorStream(true).redirectOutput(runDir.resolve("sink.log").toFile()).start();

                // the veth's side sends: a download from its namespace's HTTP server
                Path got = runDir.resolve("got");
                Cmd.Result curl = null;
                for (int i = 0; i < 50; i++) { // until the server listens (curl's 7: connection refused)
                    curl = nsA.exec(30, "curl", "-s", "-m", "20", "-o", got.toString(), "http://10.77.5.2:8080/blob");
                    if (curl.status() != 7) {
                        break;
                    }
                    Thread.sleep(200);
                }
                assertEquals(0, curl.status(), "curl: " + curl.err() + Files.readString(runDir.resolve("http.log")));
                assertArrayEquals(blob, Files.readAllBytes(got), "the download, byte for byte");
                // and it came as the veth's stack sent it: segments longer than the veth's MTU (TSO), whole
                JsonNode rx = SwitchSetup.port(stats(), veth).get("rx").get(0);
                assertTrue(rx.get("bytes").asLong() > 1514 * rx.get("packets").asLong(), "no large segments: " + rx);

                // the tap's side sends: an upload to the sink, which answers with what it got
                Cmd.Result sent = null;
                for (int i = 0; i < 50; i++) {
                    sent = nsA.exec(30, "/usr/bin/python3", runDir.resolve("send.py").toString(), "10.77.5.2", "9000",
                            www.resolve("blob").toString());
                    if (!sent.err().contains("ConnectionRefusedError")) {
                        break;
                    }
                    Thread.sleep(200);
                }
                assertEquals(0, sent.status(), sent.err() + Files.readString(runDir.resolve("sink.log")));
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
                assertEquals(blob.length + " " + sha, sent.out().strip(), "the upload, as the sink counted and hashed it");
            }
        } finally {
            for (Process p : new Process[] {http, sink}) {
                if (p != null) {
                    p.destroy();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            Cmd.run("ip", "link", "del", veth);
        }
    }

    private static JsonNode stats() throws Exception {
        Cli c = Cli.run("-j", "stats", "--instance", "swveth");
        assertEquals(0, c.status(), c.err());
        return JSON.readTree(c.out());
    }
}

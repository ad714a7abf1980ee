package dev.jxdp.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exposition format (Prometheus' text format 0.0.4) on a worked example: one HELP and one TYPE
 * line per family before its samples, label values escaped (backslash, double quote, newline),
 * latency as a summary in seconds with _sum and _count.
 */
class PrometheusTextTest {
    private static SwitchStats example() {
        var port = new SwitchStats.PortStats("a\"b\\c", 2, "tap a", "UP", null, false, 1500, 1,
                List.of(new SwitchStats.RxQueueStats(0, 10, 1000, 2, 3)), List.of(new SwitchStats.TxQueueStats(0, 7, 700, 0, 1)),
                List.of(new SwitchStats.HookStats("XDP", List.of("xdp_l2_switch"), 10, Map.of("XDP_REDIRECT", 8L))), Map.of("dropped", 2L));
        var worker = new SwitchStats.WorkerStats(0, 100, 5, 10, 2, 0, 0, 8, 0, 0, 0, 0);
        var latency = new SwitchStats.LatencyStats("xdp", 4, 1500, 2000, 3000, 3000, 3000, 2000.0);
        var fault = new SwitchStats.FaultStats("p", "XDP", 7, "invalid mem access\nhere", 2);
        return new SwitchStats("t", 1, 5, List.of(port), List.of(worker), List.of(latency), List.of(fault));
    }

    @Test
    void aWorkedExample() {
        String text = PrometheusText.render(example());
        String port = "port=\"a\\\"b\\\\c\"";
        for (String line : List.of(
                "# HELP jxdp_port_up Whether the port is up (1) or down (0).",
                "# TYPE jxdp_port_up gauge",
                "jxdp_port_up{" + port + ",ifindex=\"2\"} 1",
                "# TYPE jxdp_port_mtu_bytes gauge",
                "jxdp_port_mtu_bytes{" + port + "} 1500",
                "# TYPE jxdp_port_receive_packets_total counter",
                "jxdp_port_receive_packets_total{" + port + ",queue=\"0\"} 10",
                "jxdp_port_receive_missed_total{" + port + ",queue=\"0\"} 3",
                "jxdp_port_receive_errs_total{" + port + "} 1",
                "jxdp_port_transmit_drop_total{" + port + ",queue=\"0\"} 1",
                "jxdp_hook_runs_total{" + port + ",hook=\"XDP\"} 10",
                "jxdp_hook_verdicts_total{" + port + ",hook=\"XDP\",verdict=\"XDP_REDIRECT\"} 8",
                "jxdp_port_frames_total{" + port + ",fate=\"dropped\"} 2",
                "jxdp_worker_frames_total{worker=\"0\",fate=\"transmitted\"} 8",
                "# TYPE jxdp_latency_seconds summary",
                // 1500 ns = 1.5e-6 s; the sum is mean x count = 2000 ns x 4 = 8e-6 s
                "jxdp_latency_seconds{stage=\"xdp\",quantile=\"0.5\"} 1.50000000e-06",
                "jxdp_latency_seconds{stage=\"xdp\",quantile=\"0.99\"} 3.00000000e-06",
                "jxdp_latency_seconds_sum{stage=\"xdp\"} 8.00000000e-06",
                "jxdp_latency_seconds_count{stage=\"xdp\"} 4",
                "jxdp_program_faults_total{program=\"p\",hook=\"XDP\",insn=\"7\"} 2")) {
            assertTrue(text.lines().anyMatch(line::equals), "missing line: " + line + "\n" + text);
        }
        // each family's HELP and TYPE come once, before its samples
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("# TYPE ")) {
                String name = l.split(" ")[2];
                assertEquals("# HELP " + name, lines.get(i - 1).substring(0, ("# HELP " + name).length()));
                assertEquals(1, lines.stream().filter(x -> x.startsWith("# TYPE " + name + " ")).count(), name);
            } else if (!l.startsWith("#")) {
                String name = l.substring(0, l.indexOf('{'));
                String summary = name.replaceAll("_(sum|count)$", "");
                String family = lines.contains("# TYPE " + summary + " summary") ? summary : name;
                int type = -1;
                for (int k = 0; k < lines.size(); k++) {
                    if (lines.get(k).startsWith("# TYPE " + family + " ")) {
                        type = k;
                    }
                }
                assertTrue(type >= 0 && type < i, "sample before its TYPE: " + l);
            }
        }
    }

    /** A summary with no observations has no quantiles: NaN, as the client libraries write them; count and sum 0. */
    @Test
    void anEmptySummarysQuantilesAreNaN() {
        var none = new SwitchStats.LatencyStats("tc_ingress", 0, 0, 0, 0, 0, 0, 0.0);
        String text = PrometheusText.render(new SwitchStats("t", 1, 5, List.of(), List.of(), List.of(none), List.of()));
        List<String> lines = text.lines().filter(l -> l.startsWith("jxdp_latency_seconds")).toList();
        assertEquals(List.of(
                "jxdp_latency_seconds{stage=\"tc_ingress\",quantile=\"0.5\"} NaN",
                "jxdp_latency_seconds{stage=\"tc_ingress\",quantile=\"0.9\"} NaN",
                "jxdp_latency_seconds{stage=\"tc_ingress\",quantile=\"0.99\"} NaN",
                "jxdp_latency_seconds{stage=\"tc_ingress\",quantile=\"0.999\"} NaN",
                "jxdp_latency_seconds_sum{stage=\"tc_ingress\"} 0.00000000",
                "jxdp_latency_seconds_count{stage=\"tc_ingress\"} 0"), lines);
    }

    @Test
    void statsRoundTripThroughTheEndpointsJson() throws Exception {
        SwitchStats s = example();
        String json = Json.write(s, false);
        assertTrue(json.contains("\"down_reason\":null") && json.contains("\"p50_ns\":1500") && json.contains("\"rx_errors\":1"), json);
        assertEquals(s, Json.MAPPER.readValue(json, SwitchStats.class));
    }
}

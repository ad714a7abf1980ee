package dev.jxdp.nic.port.pcap;

import dev.jxdp.nic.Datapath;
import dev.jxdp.nic.PortConfig;
import dev.jxdp.nic.testing.Processors;
import java.nio.file.Path;

/**
 * A child JVM for {@link PcapSinkSigtermTest}: replays a capture forever at top speed into a pcap
 * sink until it is sent SIGTERM; its shutdown hook closes the datapath, then prints how many records
 * the sink wrote.
 */
public final class SigtermReplayChild {
    private SigtermReplayChild() {}

    public static void main(String[] args) throws Exception {
        PcapSource source = new PcapSource("in", PortConfig.of(2), Path.of(args[0]),
                PcapSource.Options.defaults().withPacing(new Pacing.TopSpeed()).withLoops(0).withLossless(true));
        PcapSink sink = new PcapSink("out", PortConfig.of(3), Path.of(args[1]));
        Datapath dp = Datapath.builder().port(source).port(sink).processor(Processors.forwardTo(sink)).build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dp.close();
            System.out.println("written " + sink.txQueue(0).packets.get());
            System.out.flush();
        }));
        dp.start();
        System.out.println("started");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

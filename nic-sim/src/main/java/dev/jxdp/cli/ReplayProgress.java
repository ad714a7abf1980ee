package dev.jxdp.cli;

import dev.jxdp.nic.port.pcap.PcapSource;
import java.io.PrintWriter;

/**
 * The progress line of a replay on a terminal (never when output goes to a file or a pipe, where it
 * would be noise): a bar and the count when the total is known, the count and rate otherwise,
 * redrawn with a carriage return four times a second and wiped at the end.
 */
final class ReplayProgress implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PcapSource source;
    private final long total;
    private final PrintWriter err;
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    private ReplayProgress(PcapSource source, long total, PrintWriter err) {
        this.source = source;
        this.total = total;
        this.err = err;
        this.thread = Thread.ofPlatform().daemon().name("jxdp-progress").start(this::run);
    }

    /** Whether a progress line makes sense: standard input and output are a terminal. */
    static boolean wanted() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** Starts drawing for {@code source}, whose replay has {@code total} frames (-1: unknown). */
    static ReplayProgress start(PcapSource source, long total, PrintWriter err) {
        return new ReplayProgress(source, total, err);
    }

    private void run() {
        while (running) {
            draw();
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void draw() {
        long done = source.framesRead();
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        String line;
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, done * WIDTH / total);
            line = String.format("[%s%s] %3d%% %d/%d packets", "#".repeat(filled), " ".repeat(WIDTH - filled),
                    Math.min(100, done * 100 / total), done, total);
        } else {
            line = String.format("%d packets, %.0f pps", done, done / secs);
        }
        err.print("\r" + line);
        err.flush();
    }

    @Override
    public synchronized void close() {
        running = false;
        thread.interrupt();
        err.print("\r" + " ".repeat(WIDTH + 50) + "\r");
        err.flush();
    }
}

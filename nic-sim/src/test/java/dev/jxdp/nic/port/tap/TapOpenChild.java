package dev.jxdp.nic.port.tap;

import dev.jxdp.nic.PortConfig;
import java.io.IOException;

/** Tries to create a tap and prints the error's message (run by TapPortTest without CAP_NET_ADMIN). */
public final class TapOpenChild {
    private TapOpenChild() {}

    public static void main(String[] args) {
        TapPort tap = new TapPort("t", PortConfig.of(2), args[0]);
        try {
            tap.start();
            System.out.println("created");
            tap.close();
        } catch (IOException e) {
            System.out.println(e.getMessage());
        }
    }
}

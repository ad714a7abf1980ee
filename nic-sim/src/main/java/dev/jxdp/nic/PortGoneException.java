package dev.jxdp.nic;

import java.io.IOException;

/** The port's device or file is gone (a tap or interface deleted): the port goes down with this message. */
public class PortGoneException extends IOException {
    public PortGoneException(String message) {
        super(message);
    }
}

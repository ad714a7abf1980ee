package dev.jxdp.switching;

import dev.jxdp.hooks.Hook;
import java.nio.file.Path;

/**
 * One {@code --xdp}, {@code --tc-ingress} or {@code --tc-egress}: {@code PORT=OBJ[:PROG]}, the way
 * {@code ip link set dev PORT xdp obj OBJ sec SEC} and {@code tc filter add dev PORT ingress bpf da obj OBJ sec SEC}
 * name them. PROG is a program name or a section name of the object; without it, the object's only
 * program of the hook's type. Several on one hook run in the order given (XDP: libxdp's dispatcher,
 * XDP_PASS goes on to the next; tc: tcx, TCX_NEXT goes on).
 */
public record AttachSpec(Hook hook, String port, Path object, String program) {

    static AttachSpec parse(Hook hook, String text) {
        String option = switch (hook) {
            case XDP -> "--xdp";
            case TC_INGRESS -> "--tc-ingress";
            case TC_EGRESS -> "--tc-egress";
        };
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException(option + " " + text + ": expected PORT=OBJ[:PROG]");
        }
        String port = text.substring(0, eq);
        String rest = text.substring(eq + 1);
        int colon = rest.lastIndexOf(':');
        String object = rest;
        String program = null;
        // a ':' inside an existing path is part of it; otherwise what follows the last ':' names the program
        if (colon > 0 && !java.nio.file.Files.exists(Path.of(rest))) {
            object = rest.substring(0, colon);
            program = rest.substring(colon + 1);
            if (program.isEmpty()) {
                throw new IllegalArgumentException(option + " " + text + ": empty program name after ':'");
            }
        }
        return new AttachSpec(hook, port, Path.of(object), program);
    }

    public static AttachSpec xdp(String text) {
        return parse(Hook.XDP, text);
    }

    public static AttachSpec tcIngress(String text) {
        return parse(Hook.TC_INGRESS, text);
    }

    public static AttachSpec tcEgress(String text) {
        return parse(Hook.TC_EGRESS, text);
    }
}

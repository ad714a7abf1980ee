package dev.jxdp.verifier;

/** One frame's registers and stack as the kernel's print_verifier_state prints them. */
final class StatePrinter {
    private StatePrinter() {}

    /**
     * {@code all}: every initialised register and stack slot; otherwise only those in the masks (the
     * kernel's "scratched" registers and slots).
     */
    static String frame(Frame f, boolean all, int regMask, long stackMask) {
        StringBuilder sb = new StringBuilder();
        if (f.frameno > 0) {
            sb.append(" frame").append(f.frameno).append(':');
        }
        for (int i = 0; i < f.regs.length; i++) {
            Reg r = f.regs[i];
            if (r.type == RegType.NOT_INIT || !all && (regMask >> i & 1) == 0) {
                continue;
            }
            sb.append(" R").append(i).append('=').append(RegFormat.format(r, f.frameno));
        }
        StackState st = f.stack;
        for (int spi = 0; spi < st.allocated / 8; spi++) {
            if (!all && (stackMask >> spi & 1) == 0) {
                continue;
            }
            StringBuilder types = new StringBuilder();
            boolean valid = false;
            for (int j = 0; j < 8; j++) {
                byte t = st.type(spi, j);
                valid |= t != StackState.INVALID;
                types.append(StackState.typeChar(t));
            }
            if (!valid) {
                continue;
            }
            sb.append(" fp").append(-(spi + 1) * 8).append('=');
            if (st.isSpilled(spi) && st.spilled[spi] != null) {
                int j = 0;
                while (j < 8 && st.type(spi, j) != StackState.SPILL) {
                    j++;
                }
                sb.append(types, 0, j).append(RegFormat.format(st.spilled[spi], f.frameno));
            } else {
                sb.append(types);
            }
        }
        return sb.toString();
    }
}

package dev.jxdp.isa;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LLVM/kernel assembly syntax that {@link Disassembler} prints, back to instructions. Accepts
 * llvm-objdump output as it is (leading {@code 12:} slot numbers and trailing {@code <sym+0x10>}
 * annotations are ignored), labels ({@code loop:} ... {@code goto loop}, {@code call func}),
 * decimal or hex numbers, and comments after {@code ;}, {@code //} or {@code #}.
 *
 * <p>Hand-written because no library parses this syntax, and it is part of the instruction set model.
 */
public final class Assembler {
    private static final String REG = "([rw])(\\d+)";
    private static final String NUM = "([+-]?(?:0[xX][0-9a-fA-F]+|\\d+))";
    private static final String TARGET = "([+-]?(?:0[xX][0-9a-fA-F]+|\\d+)|[A-Za-z_.$][\\w.$]*)";
    private static final String ADDR = "\\(\\s*r(\\d+)\\s*(?:([+-])\\s*(0[xX][0-9a-fA-F]+|\\d+))?\\s*\\)";
    private static final String TYPE = "\\*\\(\\s*([us])(8|16|32|64)\\s*\\*\\s*\\)";

    private static final Pattern SLOT_NUMBER = Pattern.compile("^\\s*\\d+:\\s*");
    private static final Pattern LABEL = Pattern.compile("^([A-Za-z_.$][\\w.$]*)\\s*:\\s*");
    private static final Pattern ANNOTATION = Pattern.compile("\\s*<[^<>]*>\\s*$");

    private static final Pattern EXIT = Pattern.compile("exit");
    private static final Pattern CALLX = Pattern.compile("callx\\s+r(\\d+)");
    private static final Pattern CALL_PC = Pattern.compile("call\\s+pc\\s*" + NUM);
    private static final Pattern CALL_KFUNC = Pattern.compile("call\\s+kfunc\\s+" + NUM);
    private static final Pattern CALL = Pattern.compile("call\\s+" + TARGET);
    private static final Pattern GOTO = Pattern.compile("(goto|gotol)\\s+" + TARGET);
    private static final Pattern COND = Pattern.compile(
            "if\\s+" + REG + "\\s*(==|!=|s>=|s<=|s>|s<|>=|<=|>|<|&)\\s*(?:" + REG + "|" + NUM + ")\\s+goto\\s+" + TARGET);
    private static final Pattern LOCK = Pattern.compile("lock\\s+" + TYPE + "\\s*" + ADDR + "\\s*(\\+=|\\|=|&=|\\^=)\\s*" + REG);
    private static final Pattern FETCH = Pattern.compile(
            REG + "\\s*=\\s*atomic_fetch_(add|or|and|xor)\\s*\\(\\s*\\(\\s*u(32|64)\\s*\\*\\s*\\)\\s*" + ADDR + "\\s*,\\s*" + REG + "\\s*\\)");
    private static final Pattern XCHG = Pattern.compile(
            REG + "\\s*=\\s*(xchg_64|xchg32_32)\\s*\\(\\s*r(\\d+)\\s*(?:([+-])\\s*(0[xX][0-9a-fA-F]+|\\d+))?\\s*,\\s*" + REG + "\\s*\\)");
    private static final Pattern CMPXCHG = Pattern.compile(
            REG + "\\s*=\\s*(cmpxchg_64|cmpxchg32_32)\\s*\\(\\s*r(\\d+)\\s*(?:([+-])\\s*(0[xX][0-9a-fA-F]+|\\d+))?\\s*,\\s*"
                    + REG + "\\s*,\\s*" + REG + "\\s*\\)");
    private static final Pattern SKB = Pattern.compile(
            "r0\\s*=\\s*\\*\\(\\s*u(8|16|32)\\s*\\*\\s*\\)\\s*skb\\[\\s*(?:r(\\d+)\\s*(?:([+-])\\s*(0[xX][0-9a-fA-F]+|\\d+))?|" + NUM + ")\\s*\\]");
    private static final Pattern LOAD = Pattern.compile(REG + "\\s*=\\s*" + TYPE + "\\s*" + ADDR);
    private static final Pattern STORE = Pattern.compile(TYPE + "\\s*" + ADDR + "\\s*=\\s*(?:" + REG + "|" + NUM + ")");
    private static final Pattern LDDW = Pattern.compile(REG + "\\s*=\\s*" + NUM + "\\s+ll");
    private static final Pattern LD_PSEUDO = Pattern.compile(
            "ld_pseudo\\s+r(\\d+)\\s*,\\s*" + NUM + "\\s*,\\s*" + NUM + "(?:\\s*,\\s*" + NUM + ")?");
    private static final Pattern ENDIAN = Pattern.compile(REG + "\\s*=\\s*(le|be|bswap)(16|32|64)\\s+" + REG);
    private static final Pattern NEG = Pattern.compile(REG + "\\s*=\\s*-\\s*" + REG);
    private static final Pattern MOVSX = Pattern.compile(REG + "\\s*=\\s*\\(\\s*s(8|16|32)\\s*\\)\\s*" + REG);
    private static final Pattern ALU = Pattern.compile(
            REG + "\\s*(s>>=|s/=|s%=|<<=|>>=|\\+=|-=|\\*=|/=|%=|\\|=|&=|\\^=|=)\\s*(?:" + REG + "|" + NUM + ")");

    private Assembler() {}

    /** Assembles a whole program; jump targets are checked as {@link Decoder#decode} checks them. */
    public static Bytecode assemble(String text) {
        return assemble(text, true);
    }

    /**
     * Assembles a fragment without checking jump targets, like {@link Decoder#decodeUnlinked}: a single
     * jump, or a section whose calls wait for relocation.
     */
    public static Bytecode assembleUnlinked(String text) {
        return assemble(text, false);
    }

    private static Bytecode assemble(String text, boolean checkTargets) {
        String[] lines = text.split("\\R", -1);
        List<String> bodies = new ArrayList<>(lines.length);
        Map<String, Integer> labels = new HashMap<>();
        int pc = 0;
        for (int i = 0; i < lines.length; i++) {
            String body = stripLabels(clean(lines[i]), labels, pc, i + 1);
            bodies.add(body);
            if (!body.isEmpty()) {
                pc += LDDW.matcher(body).matches() || LD_PSEUDO.matcher(body).matches() ? 2 : 1;
            }
        }
        List<Instruction> out = new ArrayList<>();
        pc = 0;
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            if (body.isEmpty()) {
                continue;
            }
            Instruction insn;
            try {
                insn = parse(body, pc, labels, i + 1);
            } catch (IllegalArgumentException e) {
                throw new AssemblyException(i + 1, e.getMessage() + ": " + body);
            }
            out.add(insn);
            pc += insn.slots();
        }
        Bytecode code = Bytecode.of(out);
        if (!checkTargets) {
            return code;
        }
        try {
            return code.checkTargets();
        } catch (DecodeException e) {
            throw new AssemblyException(lineOfSlot(bodies, e.index()), e.problem());
        }
    }

    private static int lineOfSlot(List<String> bodies, int slot) {
        int pc = 0;
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            if (body.isEmpty()) {
                continue;
            }
            if (pc == slot) {
                return i + 1;
            }
            pc += LDDW.matcher(body).matches() || LD_PSEUDO.matcher(body).matches() ? 2 : 1;
        }
        return bodies.size();
    }

    private static String clean(String line) {
        String s = line;
        for (String marker : new String[] {";", "//", "#"}) {
            int at = s.indexOf(marker);
            if (at >= 0) {
                s = s.substring(0, at);
            }
        }
        s = SLOT_NUMBER.matcher(s).replaceFirst("");
        s = ANNOTATION.matcher(s).replaceFirst("");
        return s.strip();
    }

    private static String stripLabels(String body, Map<String, Integer> labels, int pc, int line) {
        Matcher m = LABEL.matcher(body);
        while (m.lookingAt()) {
            if (labels.putIfAbsent(m.group(1), pc) != null) {
                throw new AssemblyException(line, "label '" + m.group(1) + "' is defined twice");
            }
            body = body.substring(m.end());
            m = LABEL.matcher(body);
        }
        return body.strip();
    }

    private static Instruction parse(String s, int pc, Map<String, Integer> labels, int line) {
        Matcher m;
        if (EXIT.matcher(s).matches()) {
            return new Exit();
        }
        if ((m = CALLX.matcher(s)).matches()) {
            return new CallReg(reg(m.group(1)));
        }
        if ((m = CALL_PC.matcher(s)).matches()) {
            return Call.local(imm32(m.group(1)));
        }
        if ((m = CALL_KFUNC.matcher(s)).matches()) {
            return new Call(CallKind.KFUNC, imm32(m.group(1)));
        }
        if ((m = CALL.matcher(s)).matches()) {
            String t = m.group(1);
            return isNumber(t) ? Call.helper(imm32(t)) : Call.local(relative(t, pc, labels, line));
        }
        if ((m = GOTO.matcher(s)).matches()) {
            boolean wide = m.group(1).equals("gotol");
            int off = target(m.group(2), pc, labels, line);
            return new Goto(off, wide);
        }
        if ((m = COND.matcher(s)).matches()) {
            boolean w = width(m.group(1));
            JumpOp op = JumpOp.ofOperator(m.group(3));
            Operand src = m.group(4) != null ? sameWidth(w, m.group(4), m.group(5)) : Operand.imm(imm32(m.group(6)));
            return new Jump(w, op, reg(m.group(2)), src, target(m.group(7), pc, labels, line));
        }
        if ((m = LOCK.matcher(s)).matches()) {
            Size size = atomicSize(m.group(1), m.group(2));
            AtomicOp op = switch (m.group(6)) {
                case "+=" -> AtomicOp.ADD;
                case "|=" -> AtomicOp.OR;
                case "&=" -> AtomicOp.AND;
                default -> AtomicOp.XOR;
            };
            // cpu v1's 32-bit add (XADDW) names its source with r; llvm-objdump prints it so by default.
            boolean legacyAdd = size == Size.W && op == AtomicOp.ADD && m.group(7).equals("r");
            int src = legacyAdd ? reg(m.group(8)) : atomicReg(size, m.group(7), m.group(8));
            return new Atomic(size, op, false, reg(m.group(3)), src, offset(m.group(4), m.group(5)));
        }
        if ((m = FETCH.matcher(s)).matches()) {
            Size size = m.group(4).equals("32") ? Size.W : Size.DW;
            int ret = atomicReg(size, m.group(1), m.group(2));
            int src = atomicReg(size, m.group(8), m.group(9));
            if (ret != src) {
                throw new IllegalArgumentException("atomic fetch returns into its source register");
            }
            AtomicOp op = AtomicOp.valueOf(m.group(3).toUpperCase(java.util.Locale.ROOT));
            return new Atomic(size, op, true, reg(m.group(5)), src, offset(m.group(6), m.group(7)));
        }
        if ((m = XCHG.matcher(s)).matches()) {
            Size size = m.group(3).equals("xchg_64") ? Size.DW : Size.W;
            int ret = atomicReg(size, m.group(1), m.group(2));
            int src = atomicReg(size, m.group(7), m.group(8));
            if (ret != src) {
                throw new IllegalArgumentException("xchg returns into its source register");
            }
            return new Atomic(size, AtomicOp.XCHG, true, reg(m.group(4)), src, offset(m.group(5), m.group(6)));
        }
        if ((m = CMPXCHG.matcher(s)).matches()) {
            Size size = m.group(3).equals("cmpxchg_64") ? Size.DW : Size.W;
            if (atomicReg(size, m.group(1), m.group(2)) != 0 || atomicReg(size, m.group(7), m.group(8)) != 0) {
                throw new IllegalArgumentException("cmpxchg compares with and returns into r0");
            }
            int src = atomicReg(size, m.group(9), m.group(10));
            return new Atomic(size, AtomicOp.CMPXCHG, true, reg(m.group(4)), src, offset(m.group(5), m.group(6)));
        }
        if ((m = SKB.matcher(s)).matches()) {
            Size size = Size.ofBytes(Integer.parseInt(m.group(1)) / 8);
            if (m.group(2) != null) {
                int imm = m.group(4) == null ? 0 : imm32((m.group(3).equals("-") ? "-" : "") + m.group(4));
                return new PacketLoad(size, true, reg(m.group(2)), imm);
            }
            return new PacketLoad(size, false, 0, imm32(m.group(5)));
        }
        if ((m = LOAD.matcher(s)).matches()) {
            boolean signed = m.group(3).equals("s");
            Size size = Size.ofBytes(Integer.parseInt(m.group(4)) / 8);
            if (signed && size == Size.DW) {
                throw new IllegalArgumentException("no sign-extending 64-bit load");
            }
            if (width(m.group(1)) && (signed || size == Size.DW)) {
                throw new IllegalArgumentException("a 32-bit register takes only zero-extending loads of up to 32 bits");
            }
            return new Load(size, signed, reg(m.group(2)), reg(m.group(5)), offset(m.group(6), m.group(7)));
        }
        if ((m = STORE.matcher(s)).matches()) {
            if (m.group(1).equals("s")) {
                throw new IllegalArgumentException("stores take unsigned types");
            }
            Size size = Size.ofBytes(Integer.parseInt(m.group(2)) / 8);
            int dst = reg(m.group(3));
            int off = offset(m.group(4), m.group(5));
            if (m.group(6) != null) {
                if (width(m.group(6)) && size == Size.DW) {
                    throw new IllegalArgumentException("a 64-bit store takes a 64-bit register");
                }
                return new StoreReg(size, dst, reg(m.group(7)), off);
            }
            return new Store(size, dst, off, imm32(m.group(8)));
        }
        if ((m = LDDW.matcher(s)).matches()) {
            if (width(m.group(1))) {
                throw new IllegalArgumentException("a 64-bit immediate load takes a 64-bit register");
            }
            return LoadImm64.of(reg(m.group(2)), parse64(m.group(3)));
        }
        if ((m = LD_PSEUDO.matcher(s)).matches()) {
            PseudoSource src = PseudoSource.of(imm32(m.group(2)));
            if (src == null) {
                throw new IllegalArgumentException("unknown pseudo source " + m.group(2));
            }
            return new LoadImm64(reg(m.group(1)), src, imm32(m.group(3)), m.group(4) == null ? 0 : imm32(m.group(4)));
        }
        if ((m = ENDIAN.matcher(s)).matches()) {
            if (width(m.group(1)) || width(m.group(5)) || !m.group(2).equals(m.group(6))) {
                throw new IllegalArgumentException("byte swaps work in place on a 64-bit register");
            }
            ByteSwap.Order order = switch (m.group(3)) {
                case "le" -> ByteSwap.Order.TO_LE;
                case "be" -> ByteSwap.Order.TO_BE;
                default -> ByteSwap.Order.SWAP;
            };
            return new ByteSwap(order, Integer.parseInt(m.group(4)), reg(m.group(2)));
        }
        if ((m = NEG.matcher(s)).matches()) {
            boolean w = width(m.group(1));
            if (w != width(m.group(3)) || !m.group(2).equals(m.group(4))) {
                throw new IllegalArgumentException("negation works in place");
            }
            return new Alu(!w, AluOp.NEG, reg(m.group(2)), Operand.imm(0));
        }
        if ((m = MOVSX.matcher(s)).matches()) {
            boolean w = width(m.group(1));
            AluOp op = switch (m.group(3)) {
                case "8" -> AluOp.MOVSX8;
                case "16" -> AluOp.MOVSX16;
                default -> AluOp.MOVSX32;
            };
            return new Alu(!w, op, reg(m.group(2)), sameWidth(w, m.group(4), m.group(5)));
        }
        if ((m = ALU.matcher(s)).matches()) {
            boolean w = width(m.group(1));
            AluOp op = aluOp(m.group(3));
            Operand src = m.group(4) != null ? sameWidth(w, m.group(4), m.group(5)) : Operand.imm(imm32(m.group(6)));
            return new Alu(!w, op, reg(m.group(2)), src);
        }
        throw new IllegalArgumentException("not an eBPF instruction");
    }

    private static AluOp aluOp(String operator) {
        for (AluOp op : AluOp.values()) {
            if (operator.equals(op.operator) && !op.isMovsx()) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown operator " + operator);
    }

    /** True for a 32-bit register name (w), false for r. */
    private static boolean width(String prefix) {
        return prefix.equals("w");
    }

    private static Operand sameWidth(boolean w, String prefix, String number) {
        if (width(prefix) != w) {
            throw new IllegalArgumentException("operands mix 32- and 64-bit registers");
        }
        return Operand.reg(reg(number));
    }

    private static Size atomicSize(String sign, String bits) {
        if (sign.equals("s") || !(bits.equals("32") || bits.equals("64"))) {
            throw new IllegalArgumentException("atomic operations take u32 or u64");
        }
        return bits.equals("32") ? Size.W : Size.DW;
    }

    private static int atomicReg(Size size, String prefix, String number) {
        if (width(prefix) != (size == Size.W)) {
            throw new IllegalArgumentException("a " + size.bytes * 8 + "-bit atomic takes " + (size == Size.W ? "w" : "r") + " registers");
        }
        return reg(number);
    }

    private static int reg(String number) {
        int r = Integer.parseInt(number);
        if (r >= Registers.COUNT) {
            throw new IllegalArgumentException("invalid register r" + r);
        }
        return r;
    }

    private static int offset(String sign, String magnitude) {
        if (magnitude == null) {
            return 0;
        }
        long v = parse64(magnitude);
        v = sign.equals("-") ? -v : v;
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + v + " does not fit 16 bits");
        }
        return (int) v;
    }

    private static boolean isNumber(String t) {
        return t.matches(NUM);
    }

    private static int target(String t, int pc, Map<String, Integer> labels, int line) {
        return isNumber(t) ? imm32(t) : relative(t, pc, labels, line);
    }

    private static int relative(String label, int pc, Map<String, Integer> labels, int line) {
        Integer at = labels.get(label);
        if (at == null) {
            throw new AssemblyException(line, "undefined label '" + label + "'");
        }
        return at - pc - 1;
    }

    /** A 32-bit field: signed values, or unsigned ones up to 0xffffffff (stored as their bit pattern). */
    private static int imm32(String text) {
        long v = parse64(text);
        if (v < Integer.MIN_VALUE || v > 0xffffffffL) {
            throw new IllegalArgumentException("immediate " + text + " does not fit 32 bits");
        }
        return (int) v;
    }

    private static long parse64(String text) {
        boolean negative = text.startsWith("-");
        String t = text.startsWith("+") || negative ? text.substring(1) : text;
        long magnitude;
        try {
            magnitude = t.startsWith("0x") || t.startsWith("0X")
                    ? Long.parseUnsignedLong(t.substring(2), 16)
                    : Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("number " + text + " does not fit 64 bits");
        }
        return negative ? -magnitude : magnitude;
    }
}

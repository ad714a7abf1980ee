package dev.jxdp.obj.btf;

import dev.jxdp.obj.ObjectFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .BTF.ext} section: per code section, which BTF function starts at which instruction
 * (func_info), which source line each instruction comes from (line_info), and the CO-RE relocations.
 * Instruction offsets are stored in bytes in the file and converted to slots here.
 */
public record BtfExt(
        Map<String, List<FuncInfo>> funcInfo,
        Map<String, List<LineInfo>> lineInfo,
        Map<String, List<CoreRelocation>> coreRelocations) {

    /** The BTF FUNC type {@code typeId} starts at slot {@code insn} of the section. */
    public record FuncInfo(int insn, int typeId) {}

    /** Slot {@code insn} comes from {@code line:column} of {@code file}; {@code source} is the line's text. */
    public record LineInfo(int insn, String file, String source, int line, int column) {}

    /**
     * A CO-RE relocation of the instruction at {@code insn}: {@code accessSpec} is the access string
     * ("0:1:2") into BTF type {@code typeId}; {@code kind} is enum bpf_core_relo_kind.
     */
    public record CoreRelocation(int insn, int typeId, String accessSpec, int kind) {}

    public static BtfExt parse(String file, String section, long sectionOffset, byte[] blob, Btf btf) {
        ByteBuffer in = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        Errors err = new Errors(file, section, sectionOffset, blob.length);
        if (blob.length < 24) {
            throw err.at(0, "BTF.ext header truncated: " + blob.length + " bytes, need 24");
        }
        if (Short.toUnsignedInt(in.getShort(0)) != Btf.MAGIC) {
            throw err.at(0, "bad BTF.ext magic");
        }
        long hdrLen = Integer.toUnsignedLong(in.getInt(4));
        if (hdrLen < 24 || hdrLen > blob.length) {
            throw err.at(4, "BTF.ext header length " + hdrLen + " is outside the section");
        }
        var funcs = new LinkedHashMap<String, List<FuncInfo>>();
        var lines = new LinkedHashMap<String, List<LineInfo>>();
        var relos = new LinkedHashMap<String, List<CoreRelocation>>();
        readInfo(in, err, btf, hdrLen, 8, 8, (sec, rec) -> funcs.computeIfAbsent(sec, k -> new ArrayList<>())
                .add(new FuncInfo(insn(err, rec, in.getInt(rec)), in.getInt(rec + 4))));
        readInfo(in, err, btf, hdrLen, 16, 16, (sec, rec) -> {
            int col = in.getInt(rec + 12);
            lines.computeIfAbsent(sec, k -> new ArrayList<>()).add(new LineInfo(insn(err, rec, in.getInt(rec)),
                    str(err, btf, rec + 4, in.getInt(rec + 4)), str(err, btf, rec + 8, in.getInt(rec + 8)),
                    col >>> 10, col & 0x3ff));
        });
        if (hdrLen >= 32) {
            readInfo(in, err, btf, hdrLen, 24, 16, (sec, rec) -> relos.computeIfAbsent(sec, k -> new ArrayList<>())
                    .add(new CoreRelocation(insn(err, rec, in.getInt(rec)), in.getInt(rec + 4),
                            str(err, btf, rec + 8, in.getInt(rec + 8)), in.getInt(rec + 12))));
        }
        return new BtfExt(Map.copyOf(funcs), Map.copyOf(lines), Map.copyOf(relos));
    }

    private interface RecordSink {
        void accept(String section, int recordAt);
    }

    /** Reads one info block: u32 record size, then per section {name_off, count, records}. */
    private static void readInfo(ByteBuffer in, Errors err, Btf btf, long hdrLen, int field, int minRecord, RecordSink sink) {
        long off = hdrLen + Integer.toUnsignedLong(in.getInt(field));
        long len = Integer.toUnsignedLong(in.getInt(field + 4));
        if (len == 0) {
            return;
        }
        err.range(field, off, len);
        long end = off + len;
        if (len < 4) {
            throw err.at(off, "BTF.ext info block too short");
        }
        long recSize = Integer.toUnsignedLong(in.getInt((int) off));
        if (recSize < minRecord || recSize > 1024) {
            throw err.at(off, "BTF.ext record size " + recSize + " (expected at least " + minRecord + ")");
        }
        long pos = off + 4;
        while (pos < end) {
            if (end - pos < 8) {
                throw err.at(pos, "BTF.ext section header truncated");
            }
            String sec = str(err, btf, pos, in.getInt((int) pos));
            long count = Integer.toUnsignedLong(in.getInt((int) pos + 4));
            pos += 8;
            if (count * recSize > end - pos) {
                throw err.at(pos - 4, "BTF.ext: " + count + " records of " + recSize + " bytes for section " + sec + " do not fit");
            }
            for (long i = 0; i < count; i++) {
                sink.accept(sec, (int) (pos + i * recSize));
            }
            pos += count * recSize;
        }
    }

    private static int insn(Errors err, int recordAt, int byteOffset) {
        if (byteOffset < 0 || byteOffset % 8 != 0) {
            throw err.at(recordAt, "BTF.ext instruction offset " + Integer.toUnsignedString(byteOffset) + " is not a multiple of 8");
        }
        return byteOffset / 8;
    }

    private static String str(Errors err, Btf btf, long fieldAt, int offset) {
        try {
            return btf.string(offset);
        } catch (IllegalArgumentException e) {
            throw err.at(fieldAt, e.getMessage());
        }
    }

    private record Errors(String file, String section, long sectionOffset, int length) {
        ObjectFormatException at(long offset, String problem) {
            return new ObjectFormatException(file, section, sectionOffset + offset, problem);
        }

        void range(long fieldAt, long offset, long len) {
            if (offset > length || len > length - offset) {
                throw at(fieldAt, "BTF.ext block at " + offset + " of length " + len + " lies outside the section (" + length + " bytes)");
            }
        }
    }
}

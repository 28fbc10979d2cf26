package dev.mediawatch.aggregator.incidents;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.mediawatch.contract.ContractJson;
import dev.mediawatch.contract.Incident;

/**
 * The incident journal's line format, {@code <crc32 of json, 8 hex> <json length in bytes> <json>\n}, and its
 * reader. The length says where the record must end and the CRC says whether the bytes there are the ones that
 * were written, so a torn write (a process killed mid-append) and a flipped bit are told apart from a record.
 * Jackson escapes every control character inside strings, so a record never contains a raw newline.
 */
final class JournalCodec {

    /**
     * The largest record read or written. An incident with its evidence is a few KiB; a list of them is read
     * with at most {@code 4 * ContractJson.MAX_PAYLOAD_BYTES}, so one record of 1 MiB is already absurd. A
     * length field above it is corruption, and reading never allocates more than this for one line.
     */
    static final int MAX_RECORD_BYTES = 1024 * 1024;

    /** The reason given when the file ends inside a record: a write cut short. */
    static final String TORN = "torn write";

    private static final int MAX_LENGTH_DIGITS = Integer.toString(MAX_RECORD_BYTES).length();

    private JournalCodec() {
    }

    /** Encodes one incident as one journal line. */
    static byte[] line(byte[] json) {
        CRC32 crc = new CRC32();
        crc.update(json);
        byte[] header = String.format("%08x %d ", crc.getValue(), json.length).getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[header.length + json.length + 1];
        System.arraycopy(header, 0, line, 0, header.length);
        System.arraycopy(json, 0, line, header.length, json.length);
        line[line.length - 1] = '\n';
        return line;
    }

    /**
     * The JSON of a file that holds exactly one {@link #line(byte[])} (an incident's windows file), checked: its
     * length, its CRC and its end. Throws, saying what is wrong, for anything else.
     */
    static byte[] unframe(byte[] file) {
        int i = 0;
        if (file.length < 8 + 1 + 1 + 1 + 1) {
            throw new IllegalArgumentException(file.length == 0 ? "empty" : TORN);
        }
        long crcWritten = 0;
        for (; i < 8; i++) {
            int digit = Character.digit(file[i], 16);
            if (digit < 0) {
                throw new IllegalArgumentException("corrupt header");
            }
            crcWritten = crcWritten << 4 | digit;
        }
        if (file[i++] != ' ') {
            throw new IllegalArgumentException("corrupt header");
        }
        long length = 0;
        int digits = 0;
        while (i < file.length && file[i] != ' ') {
            int c = file[i++];
            if (c < '0' || c > '9' || ++digits > 10) {
                throw new IllegalArgumentException("corrupt header");
            }
            length = length * 10 + (c - '0');
        }
        if (digits == 0 || i >= file.length) {
            throw new IllegalArgumentException(i >= file.length ? TORN : "corrupt header");
        }
        i++; // the space
        if (file.length - i < length + 1) {
            throw new IllegalArgumentException(TORN + " (" + (file.length - i) + " of " + (length + 1) + " bytes)");
        }
        if (file.length - i > length + 1 || file[file.length - 1] != '\n') {
            throw new IllegalArgumentException("corrupt record (its length does not end the file)");
        }
        CRC32 crc = new CRC32();
        crc.update(file, i, (int) length);
        if (crc.getValue() != crcWritten) {
            throw new IllegalArgumentException("corrupt record (CRC mismatch)");
        }
        return java.util.Arrays.copyOfRange(file, i, i + (int) length);
    }

    static byte[] json(Incident incident) {
        try {
            return ContractJson.mapper().writeValueAsBytes(incident);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode incident " + incident.id(), e);
        }
    }

    /**
     * What a journal held: the records of its valid prefix in file order and, when the reading stopped early,
     * where and why.
     *
     * @param incidents  the valid records, oldest append first (a later one of the same id replaces an earlier)
     * @param validBytes the length of the valid prefix
     * @param fileBytes  the file's length when read
     * @param badReason  why reading stopped at {@code validBytes}; {@code null} when the whole file is valid
     * @param tailLines  the dropped tail holds at least one newline: not just a torn last append, so complete
     *                   lines (records written after the bad one) would be lost with it
     */
    record Read(List<Incident> incidents, long validBytes, long fileBytes, String badReason, boolean tailLines) {

        long droppedBytes() {
            return fileBytes - validBytes;
        }
    }

    /** Reads every valid record up to the first torn or corrupt one. Throws only when the file cannot be read. */
    static Read read(Path file) throws IOException {
        List<Incident> incidents = new ArrayList<>();
        long offset = 0;
        String bad = null;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    break;
                }
                long[] length = new long[1];
                bad = record(in, first, incidents, length);
                if (bad != null) {
                    break;
                }
                offset += length[0];
            }
        }
        long size = Files.size(file);
        if (bad == null && offset != size) {
            bad = "file changed while read";
        }
        boolean tailLines = bad != null && containsNewline(file, offset);
        return new Read(incidents, offset, size, bad, tailLines);
    }

    /**
     * Reads one record whose first byte is {@code first}: adds it, sets {@code lineBytes[0]} to the line's
     * length and returns {@code null}, or returns why not.
     */
    private static String record(InputStream in, int first, List<Incident> out, long[] lineBytes) throws IOException {
        byte[] crcHex = new byte[8];
        crcHex[0] = (byte) first;
        if (in.readNBytes(crcHex, 1, 7) < 7) {
            return TORN;
        }
        long crcWritten = 0;
        for (byte b : crcHex) {
            int digit = Character.digit(b, 16);
            if (digit < 0) {
                return "corrupt header";
            }
            crcWritten = crcWritten << 4 | digit;
        }
        int c = in.read();
        if (c < 0) {
            return TORN;
        }
        if (c != ' ') {
            return "corrupt header";
        }
        int length = 0;
        int digits = 0;
        while (true) {
            c = in.read();
            if (c < 0) {
                return TORN;
            }
            if (c == ' ' && digits > 0) {
                break;
            }
            if (c < '0' || c > '9' || ++digits > MAX_LENGTH_DIGITS) {
                return "corrupt header";
            }
            length = length * 10 + (c - '0');
        }
        if (length > MAX_RECORD_BYTES) {
            return "corrupt header (length " + length + ")";
        }
        byte[] json = in.readNBytes(length);
        if (json.length < length) {
            return TORN;
        }
        c = in.read();
        if (c < 0) {
            return TORN;
        }
        if (c != '\n') {
            return "corrupt record (no line end where its length says)";
        }
        CRC32 crc = new CRC32();
        crc.update(json);
        if (crc.getValue() != crcWritten) {
            return "corrupt record (CRC mismatch)";
        }
        try {
            out.add(ContractJson.mapper().readValue(json, Incident.class));
        } catch (IOException | RuntimeException e) {
            return "unreadable record (" + e.getClass().getSimpleName() + ")";
        }
        lineBytes[0] = 8 + 1 + digits + 1 + length + 1;
        return null;
    }

    private static boolean containsNewline(Path file, long from) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            in.skipNBytes(from);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    return true;
                }
            }
            return false;
        }
    }
}

package io.jvirt.remote.golden;

import io.jvirt.rpc.wire.Frames;
import io.jvirt.rpc.wire.Message;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One frame of a recorded session, exactly as it crossed the socket, and which way it went. The golden file is
 * these records back to back: one byte {@code 'C'} (client to server) or {@code 'S'}, then the frame including
 * its length word.
 */
public record RecordedFrame(boolean fromClient, byte[] frame) {

    public Message decode() {
        return Frames.decode(ByteBuffer.wrap(frame, 4, frame.length - 4));
    }

    public static void write(Path file, List<RecordedFrame> frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (RecordedFrame f : frames) {
            out.write(f.fromClient ? 'C' : 'S');
            out.write(f.frame);
        }
        Files.createDirectories(file.getParent());
        Files.write(file, out.toByteArray());
    }

    public static List<RecordedFrame> read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        List<RecordedFrame> frames = new ArrayList<>();
        while (true) {
            int dir = data.read();
            if (dir < 0) {
                return frames;
            }
            if (dir != 'C' && dir != 'S') {
                throw new IOException("bad direction byte " + dir + " at record " + frames.size());
            }
            int length;
            try {
                length = data.readInt();
            } catch (EOFException e) {
                throw new IOException("truncated record " + frames.size(), e);
            }
            Frames.restLength(length);
            byte[] frame = new byte[length];
            ByteBuffer.wrap(frame).putInt(length);
            data.readFully(frame, 4, length - 4);
            frames.add(new RecordedFrame(dir == 'C', frame));
        }
    }

    /** One line per frame, for people reading the golden directory. */
    public String describe() {
        var h = decode().header();
        return String.format(
                "%s prog=%08x proc=%-4d type=%-7s serial=%-3d status=%-8s bytes=%d",
                fromClient ? "C->S" : "S->C",
                h.program(),
                h.procedure(),
                h.type(),
                h.serial(),
                h.status(),
                frame.length);
    }
}

package org.ppaforge.archive.publish;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A run of consecutive index entries, kept plain, as one gzip member and (once an xz group goes out in its chunks'
 * blocks, see {@link XzGroups}) as one small xz block: the unit a republish reuses or rebuilds.
 *
 * @param xz null until this chunk's own xz block was needed
 */
public record Chunk(byte[] plain, byte[] gz, XzBlocks.Block xz) {
    private static final int MAGIC = 0x50504331; // "PPC1"

    public static Chunk of(byte[] plain) {
        return new Chunk(plain, gzip(plain), null);
    }

    /** This chunk with its own xz block, made now if it has none. */
    Chunk withXz() {
        return xz != null ? this : new Chunk(plain, gz, XzBlocks.compress(plain));
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192) {
            {
                def.setLevel(Deflater.DEFAULT_COMPRESSION);
            }
        }) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    byte[] encode() {
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(plain.length + gz.length + (xz == null ? 0 : xz.bytes().length) + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(plain.length);
            out.write(plain);
            out.writeInt(gz.length);
            out.write(gz);
            out.writeBoolean(xz != null);
            if (xz != null) {
                out.writeInt(xz.bytes().length);
                out.write(xz.bytes());
                out.writeLong(xz.unpaddedSize());
                out.writeLong(xz.uncompressedSize());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a cached chunk; null when the bytes are not one (a torn or foreign file). */
    static Chunk decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != MAGIC) {
                return null;
            }
            byte[] plain = in.readNBytes(in.readInt());
            byte[] gz = in.readNBytes(in.readInt());
            XzBlocks.Block xz = null;
            if (in.readBoolean()) {
                byte[] b = in.readNBytes(in.readInt());
                xz = new XzBlocks.Block(b, in.readLong(), in.readLong());
            }
            if (in.available() != 0) {
                return null;
            }
            return new Chunk(plain, gz, xz);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

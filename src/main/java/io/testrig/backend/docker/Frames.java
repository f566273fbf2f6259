package io.testrig.backend.docker;

import io.testrig.backend.LogChunk;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits the engine's multiplexed stream of a container without a TTY (logs, exec output) into its
 * frames: an 8-byte header (stream type 0 stdin, 1 stdout, 2 stderr; three zero bytes; payload
 * size, 4 bytes big-endian) and the payload
 * (https://docs.docker.com/reference/api/engine/version/v1.41/#operation/ContainerAttach, "Stream
 * format"). A container with a TTY sends its output raw; API 1.41 does not say which in the
 * Content-Type, so a first header that is not a valid frame header means raw, and the rest of the
 * stream is passed on as stdout as it arrives (the docker CLI knows from the container's config;
 * this avoids an inspect per stream).
 */
final class Frames {
  private static final int HEADER = 8;

  /** A frame larger than this is a broken stream, not output. */
  static final int MAX_FRAME = 16 * 1024 * 1024;

  private Frames() {}

  /** Reads {@code in} to its end, handing each frame (or raw piece) to {@code sink}. */
  static void demux(InputStream in, Consumer<LogChunk> sink) throws IOException {
    byte[] header = new byte[HEADER];
    int got = firstHeader(in, header);
    if (got == 0) {
      return;
    }
    if (got < HEADER || !isHeader(header)) {
      raw(Arrays.copyOf(header, got), in, sink);
      return;
    }
    do {
      int size = size(header);
      byte[] payload = in.readNBytes(size);
      if (payload.length < size) {
        throw new EOFException("the engine closed the stream inside a frame");
      }
      sink.accept(new LogChunk(header[0] == 2, payload));
      got = in.readNBytes(header, 0, HEADER);
      if (got > 0 && got < HEADER) {
        throw new EOFException("the engine closed the stream inside a frame header");
      }
      if (got == HEADER && !isHeader(header)) {
        throw new IOException("a broken frame header in the engine's stream");
      }
    } while (got == HEADER);
  }

  /**
   * Reads the first header a byte at a time and stops at the first byte no header could have, so a
   * raw stream's first line ("ok\n") is passed on at once, not after 8 bytes arrived.
   */
  private static int firstHeader(InputStream in, byte[] header) throws IOException {
    int got = 0;
    while (got < HEADER) {
      int b = in.read();
      if (b < 0) {
        return got;
      }
      header[got++] = (byte) b;
      if ((got == 1 && b > 2) || (got > 1 && got <= 4 && b != 0)) {
        return got;
      }
    }
    return got;
  }

  static boolean isHeader(byte[] h) {
    return h[0] >= 0
        && h[0] <= 2
        && h[1] == 0
        && h[2] == 0
        && h[3] == 0
        && size(h) >= 0
        && size(h) <= MAX_FRAME;
  }

  private static int size(byte[] h) {
    return ((h[4] & 0xff) << 24) | ((h[5] & 0xff) << 16) | ((h[6] & 0xff) << 8) | (h[7] & 0xff);
  }

  private static void raw(byte[] first, InputStream in, Consumer<LogChunk> sink)
      throws IOException {
    if (first.length > 0) {
      sink.accept(new LogChunk(false, first));
    }
    byte[] buf = new byte[8 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (n > 0) {
        sink.accept(new LogChunk(false, Arrays.copyOf(buf, n)));
      }
    }
  }
}

package io.testrig.backend;

/** A piece of a container's log as it arrived, from stdout or stderr (not split at lines). */
public record LogChunk(boolean stderr, byte[] bytes) {}

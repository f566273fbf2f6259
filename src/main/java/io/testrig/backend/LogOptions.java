package io.testrig.backend;

/**
 * @param timestamps prefix each line with the engine's RFC 3339 timestamp and a space
 * @param follow keep streaming until the subscription is closed
 */
public record LogOptions(boolean timestamps, boolean follow) {}

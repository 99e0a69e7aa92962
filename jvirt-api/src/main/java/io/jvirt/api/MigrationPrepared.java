package io.jvirt.api;

/**
 * What the destination's Prepare phase hands the client: its cookie for Perform, and the URI the source is to
 * migrate to when the destination chose it (null when the caller's URI stands).
 */
public record MigrationPrepared(String cookie, String uri) {}

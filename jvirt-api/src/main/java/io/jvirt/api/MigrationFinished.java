package io.jvirt.api;

/** What the destination's Finish phase hands the client: the migrated domain and the cookie for Confirm. */
public record MigrationFinished(DomainRef domain, String cookie) {}

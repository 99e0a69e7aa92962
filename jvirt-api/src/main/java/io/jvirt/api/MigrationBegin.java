package io.jvirt.api;

/**
 * What the source's Begin phase hands the client: the domain XML the destination is to start (live, migratable
 * form) and the source's cookie for Prepare.
 */
public record MigrationBegin(String domainXml, String cookie) {}

/**
 * The {@code jvirt} command line, a virsh look-alike built on picocli: the entry point, the top-level command and
 * its global options, the shared {@link io.jvirt.cli.CliContext} (output, connection opened on first use), the
 * virsh-worded errors and formats, and the commands that fit no group ({@code daemon}, {@code demo}). The command
 * groups live in sub-packages. The top layer: it may use every module (jvirt-api for connections, jvirt-daemon,
 * jvirt-guest); nothing depends on it. Commands run on the main thread; the few that start threads (progress
 * pollers, a migration's worker) say so.
 */
package io.jvirt.cli;

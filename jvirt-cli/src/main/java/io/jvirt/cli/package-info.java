/**
 * The {@code jvirt} command line, a virsh look-alike built on picocli: the entry point ({@link io.jvirt.cli.Main}),
 * the top-level command with its global options that registers every subcommand
 * ({@link io.jvirt.cli.JvirtCommand}), the reporting of usage errors, and the commands that fit no group
 * ({@code daemon}, {@code demo}). The top layer: it may use every CLI package ({@link io.jvirt.cli.command} for the
 * shared base, and the command groups {@code domain}, {@code host}, {@code migrate}, {@code job}, {@code guest},
 * which may not use it in turn) and every module (jvirt-api for connections, jvirt-daemon, jvirt-guest); nothing
 * depends on it. Commands run on the main thread; the few that start threads (progress pollers, a migration's
 * worker) say so.
 */
package io.jvirt.cli;

package io.jvirt.cli.domain;

import io.jvirt.api.Connection;
import io.jvirt.api.DomainRef;
import io.jvirt.api.ErrorCode;
import io.jvirt.api.JobInfo;
import io.jvirt.api.JobStatsFlags;
import io.jvirt.api.TypedParam;
import io.jvirt.api.VirtException;
import io.jvirt.cli.command.CliContext;
import io.jvirt.cli.command.CliError;
import io.jvirt.cli.command.DomainCommand;
import io.jvirt.cli.job.JobReport;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code domjobinfo DOMAIN [--completed [--keep-completed]] [--anystats] [--rawstats]}: the domain's job, from
 * its statistics, or from the older job info when the driver has no statistics (then without flags, as virsh
 * requires). Main thread.
 */
@Command(name = "domjobinfo", description = "domain job information")
public final class DomJobInfoCommand extends DomainCommand {
    @Option(names = "--completed", description = "return statistics of a recently completed job")
    private boolean completed;

    @Option(
            names = "--keep-completed",
            description = "don't destroy statistics of a recently completed job when reading")
    private boolean keepCompleted;

    @Option(names = "--anystats", description = "print statistics for any kind of job (even failed ones)")
    private boolean anyStats;

    @Option(names = "--rawstats", description = "print the raw data returned by libvirt")
    private boolean rawStats;

    @Override
    protected void run(CliContext context) {
        if (keepCompleted && !completed) {
            throw new CliError("Option --completed is required by option --keep-completed");
        }
        Connection connection = context.connection();
        DomainRef ref = domain.lookup(connection);
        int flags = (completed ? JobStatsFlags.COMPLETED : 0) | (keepCompleted ? JobStatsFlags.KEEP_COMPLETED : 0);
        List<TypedParam> stats;
        JobInfo info;
        try {
            stats = connection.jobStats(ref, flags);
            info = JobReport.info(stats);
        } catch (VirtException e) {
            if (e.code() != ErrorCode.NO_SUPPORT) {
                throw e;
            }
            if (flags != 0 || rawStats) {
                throw new CliError("Optional flags or --rawstats are not supported by the daemon");
            }
            stats = List.of();
            info = connection.jobInfo(ref);
        }
        if (rawStats) {
            context.out().print(JobReport.raw(info.type(), stats));
        } else {
            context.out().print(JobReport.render(info, stats, anyStats, completed));
        }
    }
}

package io.jvirt.api;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A connection to one host's hypervisor: jvirt's public API, shaped like libvirt's {@code virConnect} and
 * {@code virDomain} calls so the same methods serve the embedded driver and the remote client (jvirt-remote).
 * Domains are named by {@link DomainRef}; every failure is a {@link VirtException}.
 *
 * <p>Open one with {@link Connections#open(String)}. Implementations are safe for use from several threads.
 *
 * <p>The migration protocol's phase calls, which drivers make of each other, are not here but in
 * {@link MigrationPhases}, as libvirt keeps them out of its public API; applications migrate with
 * {@link DomainMigration} and tune a running migration with the calls below.
 */
public interface Connection extends AutoCloseable {

    /** The URI this connection was opened with, normalised ({@code virConnectGetURI}). */
    String uri();

    /** The host's name ({@code virConnectGetHostname}). */
    String hostname();

    /** The host's UUID: generated once per root and persisted, or fixed by configuration. */
    UUID hostUuid();

    /** "QEMU" ({@code virConnectGetType}). */
    String hypervisorType();

    /** The hypervisor's version as major * 1,000,000 + minor * 1,000 + micro ({@code virConnectGetVersion}). */
    long hypervisorVersion();

    /** jvirt's own version in the same encoding ({@code virConnectGetLibVersion}). */
    long libVersion();

    /** Domains matching {@link ListFlags} ({@code virConnectListAllDomains}); 0 lists all. */
    List<DomainRef> listAllDomains(int flags);

    DomainRef lookupByName(String name);

    DomainRef lookupByUuid(UUID uuid);

    DomainRef lookupById(int id);

    /** Defines (or redefines) a persistent domain from XML ({@code virDomainDefineXML}). */
    DomainRef defineXml(String xml);

    /** Removes a persistent definition; an active domain becomes transient ({@code virDomainUndefineFlags}). */
    void undefine(DomainRef domain, int flags);

    /** Starts a transient domain from XML ({@code virDomainCreateXML}); {@link CreateFlags} apply. */
    DomainRef createXml(String xml, int flags);

    /** Starts a defined domain ({@code virDomainCreateWithFlags}); {@link CreateFlags} apply. */
    void create(DomainRef domain, int flags);

    /** Kills the domain's QEMU at once; ends in shutoff/destroyed. */
    void destroy(DomainRef domain, int flags);

    /**
     * Asks the guest to power off (ACPI power button) and returns at once, as libvirt does; the domain reaches
     * shutoff/shutdown when the guest has powered off. See {@link #awaitShutoff}.
     */
    void shutdown(DomainRef domain, int flags);

    /**
     * Waits until the domain is shut off or {@code timeoutMillis} passes.
     *
     * @return the state it ended in
     * @throws VirtException {@link ErrorCode#OPERATION_TIMEOUT} when it is still active at the deadline
     */
    DomainStatus awaitShutoff(DomainRef domain, long timeoutMillis);

    /** Reboots the guest through ACPI ({@code virDomainReboot}). */
    void reboot(DomainRef domain, int flags);

    /** Resets the virtual machine like the reset button ({@code virDomainReset}). */
    void reset(DomainRef domain, int flags);

    /** Pauses the guest's vCPUs; ends in paused/user. */
    void suspend(DomainRef domain);

    /** Resumes the guest's vCPUs; ends in running/unpaused. */
    void resume(DomainRef domain);

    DomainInfo info(DomainRef domain);

    DomainStatus state(DomainRef domain);

    /** The domain's XML; {@link XmlFlags} select the inactive or migratable form. */
    String xmlDesc(DomainRef domain, int flags);

    boolean isActive(DomainRef domain);

    boolean isPersistent(DomainRef domain);

    boolean autostart(DomainRef domain);

    void setAutostart(DomainRef domain, boolean autostart);

    /** The running job of a domain, or {@link JobInfo#NONE} ({@code virDomainGetJobInfo}). */
    default JobInfo jobInfo(DomainRef domain) {
        throw unsupported("virDomainGetJobInfo");
    }

    /**
     * The running job's statistics as libvirt names them ({@code virDomainGetJobStats}): {@code type} first, then
     * {@code operation}, {@code time_elapsed}, {@code data_total}…; with {@link JobStatsFlags#COMPLETED} those of
     * the last completed job.
     */
    default List<TypedParam> jobStats(DomainRef domain, int flags) {
        throw unsupported("virDomainGetJobStats");
    }

    /** Cancels the running job; its domain goes back to where it was ({@code virDomainAbortJob}). */
    default void abortJob(DomainRef domain) {
        abortJob(domain, 0);
    }

    /** As {@link #abortJob(DomainRef)}; {@link AbortJobFlags#POSTCOPY} interrupts a post-copy migration. */
    default void abortJob(DomainRef domain, int flags) {
        throw unsupported("virDomainAbortJobFlags");
    }

    /**
     * Saves a running guest's state to {@code file} and stops it ({@code virDomainSaveFlags}/{@code SaveParams}).
     *
     * @param xml         replacement domain XML for the image, or null
     * @param imageFormat compression (raw, gzip, bzip2, xz, lzop, zstd), or null for the configured default
     */
    default void save(DomainRef domain, String file, String xml, String imageFormat, int flags) {
        throw unsupported("virDomainSaveFlags");
    }

    /** Starts a guest from a save image ({@code virDomainRestoreFlags}); {@link SaveFlags} apply. */
    default DomainRef restore(String file, String xml, int flags) {
        throw unsupported("virDomainRestoreFlags");
    }

    /** The domain XML inside a save image ({@code virDomainSaveImageGetXMLDesc}). */
    default String saveImageXml(String file, int flags) {
        throw unsupported("virDomainSaveImageGetXMLDesc");
    }

    /** Replaces the domain XML inside a save image ({@code virDomainSaveImageDefineXML}). */
    default void saveImageDefineXml(String file, String xml, int flags) {
        throw unsupported("virDomainSaveImageDefineXML");
    }

    /** Saves to the driver's own image, which the next start restores ({@code virDomainManagedSave}). */
    default void managedSave(DomainRef domain, int flags) {
        throw unsupported("virDomainManagedSave");
    }

    default boolean hasManagedSaveImage(DomainRef domain) {
        return false;
    }

    default void managedSaveRemove(DomainRef domain) {
        throw unsupported("virDomainManagedSaveRemove");
    }

    /** Dumps the guest's memory to {@code file} ({@code virDomainCoreDumpWithFormat}); {@link DumpFlags} apply. */
    default void coreDump(DomainRef domain, String file, int format, int flags) {
        throw unsupported("virDomainCoreDumpWithFormat");
    }

    /**
     * Sends a raw QMP command to the domain's QEMU and returns QEMU's reply as JSON text
     * ({@code virDomainQemuMonitorCommand}); for diagnosis, outside of what the driver tracks.
     */
    default String qemuMonitorCommand(DomainRef domain, String command, int flags) {
        throw unsupported("virDomainQemuMonitorCommand");
    }

    /**
     * Registers {@code listener} for every domain's events ({@code virConnectDomainEventRegisterAny} for all
     * domains) of at least the {@link DomainEventId#DEFAULTS} kinds (an in-process driver delivers every kind);
     * closing the returned handle unregisters it.
     */
    default AutoCloseable addDomainEventListener(DomainEventListener listener) {
        throw unsupported("virConnectDomainEventRegisterAny");
    }

    /**
     * As {@link #addDomainEventListener(DomainEventListener)}, for exactly the kinds in {@code ids} (one
     * registration each on the wire, so a client asks only for what it handles, as libvirt's clients do).
     */
    default AutoCloseable addDomainEventListener(DomainEventListener listener, Set<DomainEventId> ids) {
        Set<DomainEventId> wanted = Set.copyOf(ids);
        return addDomainEventListener(e -> {
            if (wanted.contains(DomainEventId.of(e))) {
                listener.onEvent(e);
            }
        });
    }

    /**
     * False once the connection is lost ({@code virConnectIsAlive}): a remote one whose socket broke or whose peer
     * stopped answering keepalive. An in-process driver is alive until closed.
     */
    default boolean isAlive() {
        return true;
    }

    /** Whether the driver supports a {@link DriverFeature} ({@code virConnectSupportsFeature}). */
    default boolean supportsFeature(int feature) {
        return false;
    }

    /** Sets the domain's migration bandwidth limit in MiB/s, on the fly during a migration ({@code virDomainMigrateSetMaxSpeed}). */
    default void migrateSetMaxSpeed(DomainRef domain, long mibPerSecond, int flags) {
        throw unsupported("virDomainMigrateSetMaxSpeed");
    }

    /** The domain's migration bandwidth limit in MiB/s ({@code virDomainMigrateGetMaxSpeed}). */
    default long migrateGetMaxSpeed(DomainRef domain, int flags) {
        throw unsupported("virDomainMigrateGetMaxSpeed");
    }

    /** Sets the largest downtime a migration may cause, in ms ({@code virDomainMigrateSetMaxDowntime}). */
    default void migrateSetMaxDowntime(DomainRef domain, long millis, int flags) {
        throw unsupported("virDomainMigrateSetMaxDowntime");
    }

    /** The largest downtime a migration may cause, in ms ({@code virDomainMigrateGetMaxDowntime}). */
    default long migrateGetMaxDowntime(DomainRef domain, int flags) {
        throw unsupported("virDomainMigrateGetMaxDowntime");
    }

    /** Switches a running {@link MigrateFlags#POSTCOPY} migration to post-copy ({@code virDomainMigrateStartPostCopy}). */
    default void migrateStartPostCopy(DomainRef domain, int flags) {
        throw unsupported("virDomainMigrateStartPostCopy");
    }

    /**
     * Adds a device described by its XML ({@code <disk>}, {@code <interface>}…) to the running guest and/or the
     * persistent definition, as {@link DeviceModifyFlags} say ({@code virDomainAttachDeviceFlags}).
     */
    default void attachDevice(DomainRef domain, String xml, int flags) {
        throw unsupported("virDomainAttachDeviceFlags");
    }

    /**
     * Removes the device its XML names (a disk by target, an interface by MAC) ({@code virDomainDetachDeviceFlags}).
     * A live detach asks the guest to let go and waits a few seconds; a guest that takes longer loses the device
     * later, announced by {@link DomainEvent.DeviceRemoved}.
     */
    default void detachDevice(DomainRef domain, String xml, int flags) {
        throw unsupported("virDomainDetachDeviceFlags");
    }

    /** As {@link #detachDevice}, naming the device by its alias ({@code virDomainDetachDeviceAlias}). */
    default void detachDeviceAlias(DomainRef domain, String alias, int flags) {
        throw unsupported("virDomainDetachDeviceAlias");
    }

    /** Changes a device in place (e.g. a cdrom's media) ({@code virDomainUpdateDeviceFlags}). */
    default void updateDevice(DomainRef domain, String xml, int flags) {
        throw unsupported("virDomainUpdateDeviceFlags");
    }

    /**
     * A disk's I/O counters as typed parameters in libvirt's names ({@code wr_bytes}, {@code wr_operations},
     * {@code rd_bytes}, {@code rd_operations}, {@code flush_operations}, {@code *_total_times}), all LLONG
     * ({@code virDomainBlockStatsFlags}). {@code disk} is a target ({@code vda}) or source path; the empty string
     * sums all disks.
     */
    default List<TypedParam> blockStats(DomainRef domain, String disk, int flags) {
        throw unsupported("virDomainBlockStatsFlags");
    }

    /** A disk's sizes ({@code virDomainGetBlockInfo}); {@code disk} as for {@link #blockStats}. */
    default BlockInfo blockInfo(DomainRef domain, String disk, int flags) {
        throw unsupported("virDomainGetBlockInfo");
    }

    /** An interface's traffic counters; {@code device} is its host-side name or MAC ({@code virDomainInterfaceStats}). */
    default InterfaceStats interfaceStats(DomainRef domain, String device) {
        throw unsupported("virDomainInterfaceStats");
    }

    /** The guest's interface addresses from an {@link InterfaceAddressSource} ({@code virDomainInterfaceAddresses}). */
    default List<DomainInterface> interfaceAddresses(DomainRef domain, int source, int flags) {
        throw unsupported("virDomainInterfaceAddresses");
    }

    /**
     * Bulk statistics of {@code domains} (all domains matching the {@link StatsTypes} filter flags when empty), the
     * {@link StatsTypes} groups in {@code stats} (0 for every supported group) ({@code virConnectGetAllDomainStats},
     * {@code virDomainListGetStats}).
     */
    default List<DomainStatsRecord> domainStats(List<DomainRef> domains, int stats, int flags) {
        throw unsupported("virConnectGetAllDomainStats");
    }

    /** The balloon's and the guest's memory statistics ({@code virDomainMemoryStats}). */
    default List<MemoryStat> memoryStats(DomainRef domain, int flags) {
        throw unsupported("virDomainMemoryStats");
    }

    /** How often, in seconds, the guest refreshes its memory statistics; 0 stops it ({@code virDomainSetMemoryStatsPeriod}). */
    default void setMemoryStatsPeriod(DomainRef domain, int periodSeconds, int flags) {
        throw unsupported("virDomainSetMemoryStatsPeriod");
    }

    /** The running domain's vCPUs ({@code virDomainGetVcpus}). */
    default List<VcpuInfo> vcpus(DomainRef domain) {
        throw unsupported("virDomainGetVcpus");
    }

    /** The host CPUs each vCPU may run on, in vCPU order ({@code virDomainGetVcpuPinInfo}). */
    default List<List<Integer>> vcpuPinInfo(DomainRef domain, int flags) {
        throw unsupported("virDomainGetVcpuPinInfo");
    }

    /**
     * The domain's CPU usage ({@code virDomainGetCPUStats}): with {@code startCpu} -1 the totals
     * ({@code cpu_time}, {@code user_time}, {@code system_time}, ns).
     */
    default List<TypedParam> cpuStats(DomainRef domain, int startCpu, int ncpus, int flags) {
        throw unsupported("virDomainGetCPUStats");
    }

    /** Whether the driver can talk to the domain's QEMU now ({@code virDomainGetControlInfo}). */
    default ControlInfo controlInfo(DomainRef domain, int flags) {
        throw unsupported("virDomainGetControlInfo");
    }

    /** The domain's CPU scheduler tunables as typed parameters ({@code virDomainGetSchedulerParametersFlags}). */
    default List<TypedParam> schedulerParameters(DomainRef domain, int flags) {
        throw unsupported("virDomainGetSchedulerParametersFlags");
    }

    /** The host's SMBIOS data as libvirt's {@code <sysinfo>} XML ({@code virConnectGetSysinfo}). */
    default String sysinfo(int flags) {
        throw unsupported("virConnectGetSysinfo");
    }

    /** The host's CPUs and which are online ({@code virNodeGetCPUMap}). */
    default NodeCpuMap cpuMap(int flags) {
        throw unsupported("virNodeGetCPUMap");
    }

    /** Free host memory in bytes ({@code virNodeGetFreeMemory}). */
    default long freeMemory() {
        throw unsupported("virNodeGetFreeMemory");
    }

    /** Free memory in bytes of NUMA cells {@code startCell}.. ({@code virNodeGetCellsFreeMemory}). */
    default List<Long> cellsFreeMemory(int startCell, int maxCells) {
        throw unsupported("virNodeGetCellsFreeMemory");
    }

    /** The host's (or cell's; -1 for all) memory in KiB: total, free, buffers, cached ({@code virNodeGetMemoryStats}). */
    default java.util.Map<String, Long> nodeMemoryStats(int cell, int flags) {
        throw unsupported("virNodeGetMemoryStats");
    }

    /** A host CPU's (-1 for all) time in ns: kernel, user, idle, iowait ({@code virNodeGetCPUStats}). */
    default java.util.Map<String, Long> nodeCpuStats(int cpu, int flags) {
        throw unsupported("virNodeGetCPUStats");
    }

    /** The most vCPUs a guest of {@code type} (null for the default) may have ({@code virConnectGetMaxVcpus}). */
    default int maxVcpus(String type) {
        throw unsupported("virConnectGetMaxVcpus");
    }

    /** What a domain may use on this host, as libvirt's domain capabilities XML ({@code virConnectGetDomainCapabilities}). */
    default String domainCapabilities(String emulator, String arch, String machine, String virtType, int flags) {
        throw unsupported("virConnectGetDomainCapabilities");
    }

    /** The CPU models guests of {@code arch} may be given ({@code virConnectGetCPUModelNames}). */
    default List<String> cpuModelNames(String arch, int flags) {
        throw unsupported("virConnectGetCPUModelNames");
    }

    /**
     * Joins a client to a character device on a pseudo-terminal ({@code virDomainOpenConsole}): what the guest
     * writes goes to {@code toClient}, what arrives on {@code fromClient} goes to the guest. {@code device} is an
     * alias ({@code serial1}) or null for the domain's console; flag 1 (force) takes the console from another client.
     * Returns at once; the session runs until either side ends it.
     */
    default void openConsole(
            DomainRef domain,
            String device,
            java.nio.channels.ReadableByteChannel fromClient,
            java.nio.channels.WritableByteChannel toClient,
            int flags) {
        throw unsupported("virDomainOpenConsole");
    }

    /**
     * Sets the domain's current memory (balloon target) or, with {@link DailyFlags#MEM_MAXIMUM}, its maximum, in
     * KiB, on the live domain and/or the configuration as {@link DailyFlags} say ({@code virDomainSetMemoryFlags}).
     */
    default void setMemory(DomainRef domain, long kib, int flags) {
        throw unsupported("virDomainSetMemoryFlags");
    }

    /** Sets the vCPU count (or, with {@link DailyFlags#VCPU_MAXIMUM}, the maximum) ({@code virDomainSetVcpusFlags}). */
    default void setVcpus(DomainRef domain, int count, int flags) {
        throw unsupported("virDomainSetVcpusFlags");
    }

    /** The vCPU count of the live domain or the configuration, or their maximum ({@code virDomainGetVcpusFlags}). */
    default int vcpus(DomainRef domain, int flags) {
        throw unsupported("virDomainGetVcpusFlags");
    }

    /** Presses and releases keys in the guest ({@code virDomainSendKey}); {@code codeset} a {@code virKeycodeSet}. */
    default void sendKey(DomainRef domain, int codeset, int holdMillis, List<Integer> keycodes, int flags) {
        throw unsupported("virDomainSendKey");
    }

    /**
     * Writes a screenshot of the guest's display {@code screen} to {@code image} and closes it; returns its MIME type
     * ({@code virDomainScreenshot}).
     */
    default String screenshot(DomainRef domain, int screen, java.nio.channels.WritableByteChannel image, int flags) {
        throw unsupported("virDomainScreenshot");
    }

    /** Renames an inactive domain ({@code virDomainRename}). */
    default void rename(DomainRef domain, String newName, int flags) {
        throw unsupported("virDomainRename");
    }

    /**
     * Sets the title, description or an application's metadata element (named by its namespace {@code uri}, written
     * with prefix {@code key}); null removes it ({@code virDomainSetMetadata}). {@code type} is a
     * {@code virDomainMetadataType}.
     */
    default void setMetadata(DomainRef domain, int type, String metadata, String key, String uri, int flags) {
        throw unsupported("virDomainSetMetadata");
    }

    /** The title, description or metadata element set with {@link #setMetadata} ({@code virDomainGetMetadata}). */
    default String metadata(DomainRef domain, int type, String uri, int flags) {
        throw unsupported("virDomainGetMetadata");
    }

    /** The guest's clock as seconds and nanoseconds since the epoch ({@code virDomainGetTime}); needs a guest agent. */
    default long[] guestTime(DomainRef domain, int flags) {
        throw unsupported("virDomainGetTime");
    }

    /** Sets the guest's clock ({@code virDomainSetTime}); needs a guest agent. */
    default void setGuestTime(DomainRef domain, long seconds, int nanos, int flags) {
        throw unsupported("virDomainSetTime");
    }

    /** The guest's host name ({@code virDomainGetHostname}); needs a guest agent. */
    default String guestHostname(DomainRef domain, int flags) {
        throw unsupported("virDomainGetHostname");
    }

    /** A command for the guest agent, its answer as JSON text ({@code virDomainQemuAgentCommand}). */
    default String qemuAgentCommand(DomainRef domain, String command, int timeoutSeconds, int flags) {
        throw unsupported("virDomainQemuAgentCommand");
    }

    /**
     * The disks with I/O errors and their {@code virDomainDiskErrorCode}, by target ({@code virDomainGetDiskErrors});
     * empty when there are none.
     */
    default java.util.Map<String, Integer> diskErrors(DomainRef domain, int flags) {
        throw unsupported("virDomainGetDiskErrors");
    }

    /** The domain XML inside the managed save image ({@code virDomainManagedSaveGetXMLDesc}). */
    default String managedSaveXml(DomainRef domain, int flags) {
        throw unsupported("virDomainManagedSaveGetXMLDesc");
    }

    /** Replaces the domain XML inside the managed save image ({@code virDomainManagedSaveDefineXML}). */
    default void managedSaveDefineXml(DomainRef domain, String xml, int flags) {
        throw unsupported("virDomainManagedSaveDefineXML");
    }

    private static VirtException unsupported(String api) {
        return VirtException.of(ErrorCode.NO_SUPPORT, ErrorDomain.NONE, api);
    }

    /** Releases the connection (for the embedded driver: the root's lock). QEMUs keep running. */
    @Override
    void close();
}

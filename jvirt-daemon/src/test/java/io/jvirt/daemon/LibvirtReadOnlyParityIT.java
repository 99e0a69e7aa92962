package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirtd's read-only decisions against libvirt's own: libvirt 11.3's library refuses a read-only connection in the
 * public API, before any driver, so {@code virsh -r -c test:///default} (libvirt's in-process test driver, no daemon)
 * shows which calls libvirt lets read-only clients make. Each row names the virsh command and the procedure jvirtd
 * routes for it; the decision in jvirtd's dispatch table must be libvirt's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LibvirtReadOnlyParityIT {
    @TempDir
    Path tmp;

    /** A virsh command on the test driver's running domain {@code test} and the procedure jvirtd serves it with. */
    private record Row(String procedure, String... command) {}

    private List<Row> rows(Path dev, Path image) {
        String d = dev.toString();
        String i = image.toString();
        return List.of(
                new Row("DOMAIN_UNDEFINE_FLAGS", "undefine", "test"),
                new Row("DOMAIN_DESTROY", "destroy", "test"),
                new Row("DOMAIN_SHUTDOWN", "shutdown", "test"),
                new Row("DOMAIN_REBOOT", "reboot", "test"),
                new Row("DOMAIN_RESET", "reset", "test"),
                new Row("DOMAIN_SUSPEND", "suspend", "test"),
                new Row("DOMAIN_RESUME", "resume", "test"),
                new Row("DOMAIN_SET_AUTOSTART", "autostart", "test"),
                new Row("DOMAIN_ATTACH_DEVICE", "attach-device", "test", d),
                new Row("DOMAIN_DETACH_DEVICE", "detach-device", "test", d),
                new Row("DOMAIN_DETACH_DEVICE_ALIAS", "detach-device-alias", "test", "ua-x"),
                new Row("DOMAIN_UPDATE_DEVICE_FLAGS", "update-device", "test", d),
                new Row("DOMAIN_ABORT_JOB", "domjobabort", "test"),
                new Row("DOMAIN_SAVE", "save", "test", i),
                new Row("DOMAIN_RESTORE", "restore", i),
                new Row("DOMAIN_SAVE_IMAGE_DEFINE_XML", "save-image-define", i, d),
                new Row("DOMAIN_SAVE_IMAGE_GET_XML_DESC", "save-image-dumpxml", i),
                new Row("DOMAIN_MANAGED_SAVE", "managedsave", "test"),
                new Row("DOMAIN_CORE_DUMP", "dump", "test", i),
                new Row("DOMAIN_DEFINE_XML", "define", d),
                new Row("DOMAIN_CREATE_XML", "create", d),
                new Row("DOMAIN_MIGRATE_SET_MAX_SPEED", "migrate-setspeed", "test", "10"),
                new Row("DOMAIN_MIGRATE_GET_MAX_SPEED", "migrate-getspeed", "test"),
                new Row("DOMAIN_MIGRATE_SET_MAX_DOWNTIME", "migrate-setmaxdowntime", "test", "10"),
                new Row("DOMAIN_MIGRATE_GET_MAX_DOWNTIME", "migrate-getmaxdowntime", "test"),
                new Row("DOMAIN_MIGRATE_START_POST_COPY", "migrate-postcopy", "test"),
                new Row(
                        "DOMAIN_MIGRATE_BEGIN3_PARAMS",
                        "migrate",
                        "--offline",
                        "--persistent",
                        "test",
                        "test:///default"),
                new Row("DOMAIN_LOOKUP_BY_NAME", "domid", "test"),
                new Row("DOMAIN_GET_INFO", "dominfo", "test"),
                new Row("DOMAIN_GET_STATE", "domstate", "test"),
                new Row("DOMAIN_GET_XML_DESC", "dumpxml", "--inactive", "test"),
                new Row("DOMAIN_BLOCK_STATS_FLAGS", "domblkstat", "test", "vda"),
                new Row("DOMAIN_GET_BLOCK_INFO", "domblkinfo", "test", "vda"),
                new Row("DOMAIN_INTERFACE_ADDRESSES", "domifaddr", "test", "--source", "arp"),
                new Row("DOMAIN_GET_JOB_INFO", "domjobinfo", "test"),
                new Row("CONNECT_LIST_ALL_DOMAINS", "list", "--all"),
                new Row("CONNECT_GET_CAPABILITIES", "capabilities"),
                new Row("NODE_GET_INFO", "nodeinfo"),
                new Row("CONNECT_GET_HOSTNAME", "hostname"));
    }

    @Test
    void jvirtdRefusesReadOnlyExactlyWhatLibvirtRefuses() throws Exception {
        Path dev = Files.writeString(
                tmp.resolve("dev.xml"), "<disk type='file'><source file='/nonexistent'/><target dev='vdz'/></disk>");
        Path image = tmp.resolve("image.save");
        DispatchTable table = DispatchTable.standard();
        Virsh libvirt = Virsh.uri("test:///default", true);
        SoftAssertions soft = new SoftAssertions();
        for (Row row : rows(dev, image)) {
            Virsh.Result r = runPatiently(libvirt, row.command());
            boolean libvirtRefuses = r.err().contains("operation forbidden: read only access prevents");
            Route<?, ?> route = table.routes().values().stream()
                    .filter(x -> x.procedure().name().equals(row.procedure()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(row.procedure() + " not routed"));
            soft.assertThat(!route.readOnlySafe())
                    .as(
                            "%s (virsh %s: %s)",
                            row.procedure(),
                            String.join(" ", row.command()),
                            r.err().strip())
                    .isEqualTo(libvirtRefuses);
        }
        soft.assertAll();
        assertThat(image).doesNotExist();
    }

    @Test
    void libvirtRefusesTheFlagsJvirtdRefusesInsideReadOnlyCalls() throws Exception {
        Virsh libvirt = Virsh.uri("test:///default", true);
        for (String flag : new String[] {"--security-info", "--migratable"}) {
            assertThat(libvirt.run("dumpxml", flag, "test").err())
                    .contains("error: operation forbidden: virDomainGetXMLDesc with secure flag");
        }
        assertThat(libvirt.run("domifaddr", "test", "--source", "agent").err())
                .contains("error: operation forbidden: read only access prevents virDomainInterfaceAddresses");
    }

    /**
     * virsh runs save-like commands (managedsave, save, dump) in a worker thread that its main loop watches. Under
     * load, virsh 11.3 was seen staying in that loop for good after the worker had already ended with the read-only
     * refusal (main thread polling, worker gone): a rare race in virsh, not in what is tested. Such a run is ended
     * and run again.
     */
    private static Virsh.Result runPatiently(Virsh virsh, String... args) throws Exception {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return virsh.run(Duration.ofSeconds(20), args);
            } catch (IllegalStateException stuck) {
                last = stuck;
            }
        }
        throw last;
    }
}

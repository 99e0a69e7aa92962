package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.driver.root.ConfFile;
import io.jvirt.guest.HostDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * jvirtd standing in for libvirtd ({@code libvirt_sockets = 1}) with {@code unix_sock_dir} pointing at a directory
 * of its own: it makes libvirtd's socket names there, with libvirtd's modes, and stock virsh reaches both through
 * {@code qemu:///system?socket=...}, read-only on libvirt-sock-ro. On a host, unix_sock_dir left at /run/libvirt
 * makes {@code virsh} with no -c reach jvirtd.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LibvirtSocketsIT {
    @Test
    void libvirtdsSocketNamesInTheGivenDirectoryAndVirshReachesThem() throws Exception {
        Path base = HostDirs.temp("jvirtd-libvirt-sockets-");
        try {
            Path dir = base.resolve("run-libvirt");
            Path conf = base.resolve("jvirtd.conf");
            Files.writeString(conf, "libvirt_sockets = 1\nunix_sock_dir = \"" + dir + "\"\n");
            DaemonConfig config = DaemonConfigLoader.fromConf(ConfFile.load(conf), Optional.of(base.resolve("root")));
            try (Daemon d = Daemon.start(config)) {
                Path rw = dir.resolve("libvirt-sock");
                Path ro = dir.resolve("libvirt-sock-ro");
                assertThat(d.rwSocket()).isEqualTo(rw);
                assertThat(d.roSocket()).isEqualTo(ro);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rw)))
                        .isEqualTo("rwx------");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ro)))
                        .isEqualTo("rwxrwxrwx");

                Virsh virsh = Virsh.uri("qemu:///system?socket=" + rw, false);
                Virsh.Result uri = virsh.run("uri");
                assertThat(uri.exit()).as(uri.err()).isZero();
                assertThat(uri.out().strip()).isEqualTo("qemu:///system?socket=" + rw);
                Virsh.Result hostname = virsh.run("hostname");
                assertThat(hostname.exit()).as(hostname.err()).isZero();

                Virsh readOnlyVirsh = Virsh.uri("qemu:///system?socket=" + ro, true);
                Virsh.Result readOnly = readOnlyVirsh.run("list", "--all");
                assertThat(readOnly.exit()).as(readOnly.err()).isZero();
                assertThat(readOnly.out()).contains("Id", "Name", "State");
                Path xml = base.resolve("x.xml");
                Files.writeString(xml, "<domain type='kvm'><name>x</name><memory>65536</memory></domain>");
                Virsh.Result refused = readOnlyVirsh.run("define", xml.toString());
                assertThat(refused.exit()).isNotZero();
                assertThat(refused.err()).contains("read only access prevents virDomainDefineXML");
            }
            assertThat(dir.resolve("libvirt-sock")).doesNotExist();
            assertThat(dir.resolve("libvirt-sock-ro")).doesNotExist();
        } finally {
            QemuReaper.deleteTree(base);
        }
    }
}

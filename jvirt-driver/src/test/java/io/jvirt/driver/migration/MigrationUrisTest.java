package io.jvirt.driver.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The host a migration URI names, in every spelling QEMU and libvirt use. */
class MigrationUrisTest {
    @Test
    void qemuGetsTheSpellingItReads() {
        assertThat(MigrationUris.forQemu("tcp://127.0.0.1:54944")).isEqualTo("tcp:127.0.0.1:54944");
        assertThat(MigrationUris.forQemu("tcp://[::1]:49152/")).isEqualTo("tcp:[::1]:49152");
        assertThat(MigrationUris.forQemu("tcp:vm:49152")).isEqualTo("tcp:vm:49152");
        assertThat(MigrationUris.forQemu("fd:migrate")).isEqualTo("fd:migrate");
    }

    @Test
    void uriHostOfEveryTcpSpelling() {
        assertThat(MigrationUris.uriHost("tcp:192.0.2.1:49152")).isEqualTo("192.0.2.1");
        assertThat(MigrationUris.uriHost("tcp://dst.example.org:49152")).isEqualTo("dst.example.org");
        assertThat(MigrationUris.uriHost("tcp://dst.example.org:49152/")).isEqualTo("dst.example.org");
        assertThat(MigrationUris.uriHost("tcp:[2001:db8::1]:49152")).isEqualTo("2001:db8::1");
        assertThat(MigrationUris.uriHost("tcp://[::1]:49152")).isEqualTo("::1");
        assertThat(MigrationUris.uriHost("tcp:dst")).isEqualTo("dst");
        assertThat(MigrationUris.uriHost("tcp://dst/")).isEqualTo("dst");
    }
}

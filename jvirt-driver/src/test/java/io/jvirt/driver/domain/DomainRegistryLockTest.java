package io.jvirt.driver.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.config.DomainXml;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Lookups hold the registry while they read domains, and an undefine holds a domain while it reaches for the
 * registry: reading a domain's name or id must not wait for the domain's lock, or the two deadlock (seen with
 * {@code virsh domstate} polling during a {@code --undefinesource} migration).
 */
class DomainRegistryLockTest {
    @Test
    void aDomainHeldByAnotherThreadCanStillBeFoundByNameAndId() throws Exception {
        DomainRegistry registry = new DomainRegistry();
        DomainObj dom = registry.findOrAdd(DomainXml.parse("<domain type='qemu'><name>g1</name><uuid>"
                + UUID.randomUUID() + "</uuid><memory unit='KiB'>65536</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>"));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            dom.withLock(() -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        });
        try {
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<DomainObj> found = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> found.complete(registry.findByName("g1")));
            assertThat(found.get(10, TimeUnit.SECONDS)).isSameAs(dom);
            assertThat(dom.id()).isEqualTo(-1);
        } finally {
            release.countDown();
            holder.join();
        }
    }
}

package io.jvirt.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvirt.guest.SerialLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** Boots a test guest through virsh for the daemon ITs and waits until it ticks. */
final class GuestBoot {
    private GuestBoot() {}

    /**
     * Defines {@code name} from the XML {@code xmlFor} makes for its serial log ({@code dir/name.serial.log}),
     * starts it, and returns that log once the guest has filled its memory and ticked.
     */
    static SerialLog boot(Virsh on, Path dir, String name, Function<Path, String> xmlFor) throws Exception {
        Path serial = dir.resolve(name + ".serial.log");
        Path xml = dir.resolve(name + ".xml");
        Files.writeString(xml, xmlFor.apply(serial));
        assertThat(on.run("define", xml.toString()).exit()).isZero();
        assertThat(on.run("start", name).exit()).isZero();
        SerialLog log = new SerialLog(serial);
        log.awaitReady(Duration.ofSeconds(120));
        log.awaitTickAfter(0, Duration.ofSeconds(60));
        return log;
    }
}

package io.jvirt.testing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command {@link FakeQmp} received: its name, its arguments as plain Java (as Jackson reads them: small integers
 * are Integer), the fds that arrived with it (owned by the fake, closed by {@link FakeQmp#close()}; dup one to
 * keep it longer), and which connection (1-based) it came on.
 */
public record ReceivedCommand(String name, Map<String, Object> arguments, List<Integer> fds, int connection) {
    public ReceivedCommand {
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        fds = List.copyOf(fds);
    }
}

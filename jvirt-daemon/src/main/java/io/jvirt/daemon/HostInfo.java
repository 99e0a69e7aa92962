package io.jvirt.daemon;

import io.jvirt.rpc.proto.ConnectWire.NodeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The host facts jvirtd reports itself: node info from /proc and a minimal capabilities document. */
final class HostInfo {
    private HostInfo() {}

    /** {@code virNodeInfo} from /proc/cpuinfo and /proc/meminfo; one NUMA node. */
    static NodeInfo nodeInfo() {
        return nodeInfo(read("/proc/cpuinfo"), read("/proc/meminfo"), System.getProperty("os.arch"));
    }

    static NodeInfo nodeInfo(List<String> cpuinfo, List<String> meminfo, String javaArch) {
        int cpus = 0;
        int mhz = 0;
        int coresPerSocket = 0;
        int siblings = 0;
        Set<String> packages = new HashSet<>();
        for (String line : cpuinfo) {
            String key =
                    line.contains(":") ? line.substring(0, line.indexOf(':')).strip() : "";
            String value =
                    line.contains(":") ? line.substring(line.indexOf(':') + 1).strip() : "";
            switch (key) {
                case "processor" -> cpus++;
                case "cpu MHz" -> mhz = mhz == 0 ? (int) Double.parseDouble(value) : mhz;
                case "cpu cores" -> coresPerSocket = Integer.parseInt(value);
                case "siblings" -> siblings = Integer.parseInt(value);
                case "physical id" -> packages.add(value);
                default -> {}
            }
        }
        cpus = Math.max(cpus, 1);
        int cores = Math.max(coresPerSocket, 1);
        int threads = coresPerSocket > 0 && siblings >= coresPerSocket ? siblings / coresPerSocket : 1;
        int sockets = Math.max(1, packages.isEmpty() ? cpus / (cores * threads) : packages.size());
        long memKiB = 0;
        for (String line : meminfo) {
            if (line.startsWith("MemTotal:")) {
                memKiB = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        String arch = "amd64".equals(javaArch) ? "x86_64" : javaArch;
        return new NodeInfo(arch, memKiB, cpus, mhz, 1, sockets, cores, threads);
    }

    /** Enough for virsh capabilities and for clients that look for hvm/x86_64/qemu guests. */
    static String capabilities(UUID hostUuid) {
        return """
                <capabilities>
                  <host>
                    <uuid>%s</uuid>
                    <cpu>
                      <arch>x86_64</arch>
                    </cpu>
                    <migration_features>
                      <live/>
                      <uri_transports>
                        <uri_transport>tcp</uri_transport>
                      </uri_transports>
                    </migration_features>
                  </host>
                  <guest>
                    <os_type>hvm</os_type>
                    <arch name='x86_64'>
                      <wordsize>64</wordsize>
                      <emulator>/usr/bin/qemu-system-x86_64</emulator>
                      <machine>pc</machine>
                      <machine>q35</machine>
                      <domain type='qemu'/>
                    </arch>
                  </guest>
                </capabilities>
                """.formatted(hostUuid);
    }

    private static List<String> read(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}

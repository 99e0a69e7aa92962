#!/usr/bin/env python3
"""The benchmark's floor: one QEMU-to-QEMU live migration driven by plain QMP, no daemon in between.

    qmp_migrate.py SRC_QMP_SOCK DST_QMP_SOCK PORT TIMEOUT_S

DST was started with `-incoming defer`. Raises max-bandwidth on the source (QEMU caps migration at 128 MiB/s
otherwise), tells the destination to listen on 127.0.0.1:PORT, migrates, polls query-migrate every 50 ms until
"completed" (or cancels after TIMEOUT_S), then waits until the destination runs. Prints one line of JSON:
wall_ms (migrate command to destination running), total_ms, downtime_ms, bytes, status.
"""
import json
import socket
import sys
import time


class Qmp:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = self.sock.makefile("rb")
        self._read()  # greeting
        self.cmd("qmp_capabilities")

    def _read(self):
        while True:
            msg = json.loads(self.buf.readline())
            if "event" not in msg:
                return msg

    def cmd(self, name, **args):
        req = {"execute": name}
        if args:
            req["arguments"] = args
        self.sock.sendall((json.dumps(req) + "\n").encode())
        reply = self._read()
        if "error" in reply:
            raise RuntimeError(f"{name}: {reply['error']}")
        return reply["return"]


def main():
    src, dst = Qmp(sys.argv[1]), Qmp(sys.argv[2])
    port, timeout = int(sys.argv[3]), float(sys.argv[4])
    src.cmd("migrate-set-parameters", **{"max-bandwidth": 10 << 30})
    dst.cmd("migrate-incoming", uri=f"tcp:127.0.0.1:{port}")
    t0 = time.monotonic()
    src.cmd("migrate", uri=f"tcp:127.0.0.1:{port}")
    while True:
        info = src.cmd("query-migrate")
        status = info.get("status")
        if status in ("completed", "failed", "cancelled"):
            break
        if time.monotonic() - t0 > timeout:
            src.cmd("migrate_cancel")
            status = "timeout"
            break
        time.sleep(0.05)
    if status == "completed":
        while dst.cmd("query-status")["status"] != "running":
            if time.monotonic() - t0 > timeout + 30:
                status = "destination not running"
                break
            time.sleep(0.01)
    wall_ms = int((time.monotonic() - t0) * 1000)
    ram = info.get("ram", {})
    print(json.dumps({"status": status, "wall_ms": wall_ms, "total_ms": info.get("total-time", 0),
                      "downtime_ms": info.get("downtime", 0), "bytes": ram.get("transferred", 0)}))


if __name__ == "__main__":
    main()

# Bash functions (sourced by bench/migration): a private libvirtd 11.3 per "host", two side by side on one machine.
#
# Each instance runs in a mount namespace of its own (unshare -m) in which its temp directory's etc, run, lib,
# cache and log directories are bind-mounted over /etc/libvirt, /run/libvirt, /var/lib/libvirt,
# /var/cache/libvirt and /var/log/libvirt, because libvirtd's QEMU driver (running as root) keeps its state at those
# fixed paths. Each has its own host UUID (libvirt refuses to migrate to "the same host"), TCP port on 127.0.0.1
# (auth none), migration port range, and QEMU settings fit for this machine: run QEMU as root, no security driver,
# no cgroups or /dev namespace, console logs to files (no virtlogd). The sockets are reachable from the root
# namespace at DIR/run/libvirt-sock.

# libvirtd_start DIR TCP_PORT MIGRATION_PORT_MIN [TLS_CERT_DIR] [EXTRA_LINES]: starts the daemon; sets LIBVIRTD_PID;
# waits for its socket. With TLS_CERT_DIR, qemu.conf names it as migrate_tls_x509_cert_dir (for `virsh migrate
# --tls`). EXTRA_LINES go at the end of libvirtd.conf; when they set listen_tls, the default "listen_tls = 0" is left out.
libvirtd_start() {
  local dir=$1 port=$2 migmin=$3 tls_dir=${4:-} extra=${5:-} d tls_line="listen_tls = 0"
  for d in etc run lib cache log; do mkdir -p "$dir/$d"; done
  mkdir -p /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt
  case "$extra" in *listen_tls*) tls_line="" ;; esac
  cat > "$dir/etc/libvirtd.conf" <<CONF
$tls_line
listen_tcp = 1
listen_addr = "127.0.0.1"
tcp_port = "$port"
auth_tcp = "none"
auth_unix_rw = "none"
auth_unix_ro = "none"
unix_sock_rw_perms = "0700"
host_uuid = "$(cat /proc/sys/kernel/random/uuid)"
keepalive_interval = 5
keepalive_count = 5
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
$extra
CONF
  cat > "$dir/etc/qemu.conf" <<CONF
user = "root"
group = "root"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
cgroup_controllers = [ ]
namespaces = [ ]
stdio_handler = "file"
migration_port_min = $migmin
migration_port_max = $((migmin + 63))
CONF
  if [ -n "$tls_dir" ]; then echo "migrate_tls_x509_cert_dir = \"$tls_dir\"" >> "$dir/etc/qemu.conf"; fi
  unshare -m --propagation private sh -c '
    d=$1
    mount --bind "$d/etc" /etc/libvirt && mount --bind "$d/run" /run/libvirt &&
    mount --bind "$d/lib" /var/lib/libvirt && mount --bind "$d/cache" /var/cache/libvirt &&
    mount --bind "$d/log" /var/log/libvirt &&
    exec /usr/sbin/libvirtd --listen --config /etc/libvirt/libvirtd.conf --pid-file "$d/libvirtd.pid"
  ' libvirtd "$dir" > "$dir/libvirtd.out" 2>&1 &
  LIBVIRTD_PID=$!
  local waited=0
  until [ -S "$dir/run/libvirt-sock" ] && virsh -c "qemu+unix:///system?socket=$dir/run/libvirt-sock" version >/dev/null 2>&1; do
    if ! kill -0 "$LIBVIRTD_PID" 2>/dev/null || [ $waited -gt 600 ]; then
      echo "libvirtd in $dir did not start; see $dir/libvirtd.out and $dir/log/libvirtd.log" >&2
      return 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
}

# libvirtd_uri DIR: the URI a client in the root namespace uses.
libvirtd_uri() { echo "qemu+unix:///system?socket=$1/run/libvirt-sock"; }

# libvirtd_stop PID DIR: destroys its guests, SIGTERM to the daemon (the pid this script started), waits.
libvirtd_stop() {
  local pid=$1 dir=$2 dom
  for dom in $(virsh -q -c "$(libvirtd_uri "$dir")" list --name 2>/dev/null); do
    virsh -q -c "$(libvirtd_uri "$dir")" destroy "$dom" >/dev/null 2>&1 || true
  done
  kill "$pid" 2>/dev/null || return 0
  local waited=0
  while kill -0 "$pid" 2>/dev/null && [ $waited -lt 200 ]; do sleep 0.1; waited=$((waited + 1)); done
  kill -9 "$pid" 2>/dev/null || true
}

# Bash functions (sourced by bench/migration): the floor case, two QEMUs started here directly (same kernel,
# initrd, memory and command line as the test guest's domain XML; TCG) and migrated with plain QMP.
# Uses from the caller: $work, $res, $runs, $timeout, $memory, guest_xml, wait_ready.

FLOOR_PIDS=()

# floor_qemu NAME DIRTY LOG [incoming]: starts one QEMU in the background (-daemonize), records its pid
floor_qemu() {
  local name=$1 xml=$work/floor-guest-$2.xml log=$3 extra=()
  [ "${4:-}" = incoming ] && extra=(-incoming defer)
  local kernel initrd cmdline
  kernel=$(sed -n 's|.*<kernel>\(.*\)</kernel>.*|\1|p' "$xml")
  initrd=$(sed -n 's|.*<initrd>\(.*\)</initrd>.*|\1|p' "$xml")
  cmdline=$(sed -n 's|.*<cmdline>\(.*\)</cmdline>.*|\1|p' "$xml")
  qemu-system-x86_64 -name "$name" -accel tcg -machine pc -m "$memory" -smp 1 -nodefaults -no-user-config \
    -display none -kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
    -chardev "file,id=ser0,path=$log,append=on" -serial chardev:ser0 \
    -qmp "unix:$work/$name.qmp,server=on,wait=off" -daemonize -pidfile "$work/$name.pid" "${extra[@]}"
  FLOOR_PIDS+=("$(cat "$work/$name.pid")")
}

# floor_kill PID: ends one of the QEMUs this script started (by the pid it recorded), waits until it is gone
floor_kill() {
  local pid=$1 n=0
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  kill -9 "$pid" 2>/dev/null || true
}

floor_stop_all() {
  local pid
  for pid in "${FLOOR_PIDS[@]}"; do floor_kill "$pid"; done
  FLOOR_PIDS=()
}

# floor_case DIRTY: boots the source, then N migrations, each to a fresh `-incoming defer` QEMU
floor_case() {
  local dirty=$1 log=$work/floor-$1.log i src dst out status port
  guest_xml "floor-guest-$dirty" "$dirty" > /dev/null
  floor_qemu "floor-$dirty-0" "$dirty" "$log"
  wait_ready "$log"
  for ((i = 1; i <= runs; i++)); do
    src="floor-$dirty-$((i - 1))"; dst="floor-$dirty-$i"
    floor_qemu "$dst" "$dirty" "$log" incoming
    port=$((52000 + RANDOM % 8000))
    out=$(python3 bench/lib/qmp_migrate.py "$work/$src.qmp" "$work/$dst.qmp" "$port" "$timeout")
    status=$(jq -r .status <<< "$out")
    if [ "$status" = timeout ]; then
      echo "did not converge in ${timeout} s" > "$res/f.native.$dirty"; break
    elif [ "$status" != completed ]; then
      echo "failed: $status" > "$res/f.native.$dirty"; break
    fi
    jq -r '"\(.wall_ms) \(.total_ms) \(.downtime_ms) \(.bytes / 1048576 * 10 | round / 10)"' <<< "$out" >> "$res/f.native.$dirty"
    echo "  floor dirty=$dirty run $i: $(tail -1 "$res/f.native.$dirty")" >&2
    floor_kill "${FLOOR_PIDS[-2]}"
  done
  floor_stop_all
  grep -q "pattern=bad" "$log" && echo "WARNING: the floor guest at $dirty MiB/s reported a bad memory pattern" >&2
  return 0
}

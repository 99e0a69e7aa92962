# Bash functions (sourced by bench/migration): the markdown report from the per-case result files in $res.
# A case file holds one line per run ("wall_ms total_ms downtime_ms mib") or one line saying why it has none.

declare -A CASE_LABEL=([f.native]="floor: QEMU→QEMU, plain QMP" [j.p2p]="jvirt p2p (native)"
  [j.tunnelled]="jvirt p2p tunnelled" [j.client]="jvirt client-managed" [l.p2p]="libvirt 11.3 p2p (native)"
  [l.tunnelled]="libvirt 11.3 p2p tunnelled" [j.p2p-mfd]="jvirt p2p, multifd ${mfd}"
  [j.tunnelled-mfd]="jvirt p2p tunnelled, ${mfd} channels + main, one stream each"
  [j.p2p-tls]="jvirt p2p --tls (QEMU's TLS)" [j.tunnelled-rpctls]="jvirt p2p tunnelled over qemu+tls://"
  [l.p2p-tls]="libvirt 11.3 p2p --tls (QEMU's TLS)" [j.p2p-tls-mfd]="jvirt p2p --tls, multifd ${mfd}"
  [l.p2p-tls-mfd]="libvirt 11.3 p2p --tls, multifd ${mfd}")
CASES=(f.native j.p2p j.tunnelled j.client j.p2p-mfd j.tunnelled-mfd l.p2p l.tunnelled)
# with --tls: each system's TLS case after its plain one (a libvirt case not run says why)
if [ "$tls" = 1 ]; then
  CASES=(f.native j.p2p j.p2p-tls j.p2p-tls-mfd j.tunnelled-rpctls l.p2p l.p2p-tls l.p2p-tls-mfd)
fi
# the modes of the cold and memory tables, "mode:column title"
if [ "$tls" = 1 ]; then TABLE_MODES=("p2p:p2p" "p2p-tls:p2p --tls" "p2p-tls-mfd:p2p --tls multifd"
  "tunnelled-rpctls:tunnelled over qemu+tls://")
else TABLE_MODES=("p2p:p2p" "tunnelled:tunnelled" "client:client-managed" "p2p-mfd:p2p multifd" "tunnelled-mfd:tunnelled multifd"); fi

col() { awk -v c="$2" '{print $c}' "$1"; }                      # FILE COLUMN
rate_col() { awk '$2 > 0 {printf "%.0f\n", $4 * 1000 / $2}' "$1"; }  # MiB sent / QEMU total

has_runs() { [ -s "$1" ] && head -1 "$1" | grep -qE '^[0-9]'; }

case_row() { # DIRTY CASE
  local f=$res/$2.$1 label=${CASE_LABEL[$2]}
  if [ ! -e "$f" ]; then
    if [ "${2%%.*}" = l ]; then echo "| $1 | $label | ${libvirt_note:-libvirtd not installed} | | | | |"; fi
    return 0
  fi
  if ! has_runs "$f"; then echo "| $1 | $label | $(head -1 "$f") | | | | |"; return 0; fi
  echo "| $1 | $label | $(col "$f" 1 | median) ($(col "$f" 1 | range)) | $(col "$f" 2 | median) | $(col "$f" 3 | median) ($(col "$f" 3 | range)) | $(col "$f" 4 | median) | $(rate_col "$f" | median) |"
}

ratio() { # DIRTY CASE_A CASE_B COLUMN(wall=1|rate): median(A)/median(B)
  local a=$res/$2.$1 b=$res/$3.$1 ma mb
  has_runs "$a" && has_runs "$b" || { echo "–"; return 0; }
  if [ "$4" = rate ]; then ma=$(rate_col "$a" | median); mb=$(rate_col "$b" | median)
  else ma=$(col "$a" "$4" | median); mb=$(col "$b" "$4" | median); fi
  awk -v x="$ma" -v y="$mb" 'BEGIN { if (y > 0) printf "%.2f", x / y; else print "–" }'
}

report() {
  local qv lv d c line
  qv=$(qemu-system-x86_64 --version | head -1 | awk '{print $4}')
  lv=$( [ -x /usr/sbin/libvirtd ] && /usr/sbin/libvirtd --version | awk '{print $NF}' || echo "not installed")
  echo "# Live migration, ${memory} MiB test guest (${fill} MiB filled), ${runs} run(s) per case, $(date -u +%Y-%m-%d)"
  echo
  echo "QEMU $qv (TCG guest), libvirtd $lv, virsh $(virsh --version), $(nproc) cores, all over loopback; written by"
  echo "\`bench/migration --runs $runs --dirty $dirties --timeout $timeout$(tls_flag)\`. Medians (min–max). wall = from the call"
  echo "until the destination runs (virsh returns after Finish; includes virsh's own start, ~20 ms). QEMU total,"
  echo "downtime and MiB sent come from \`virsh domjobinfo --completed\` on the source (query-migrate for the floor);"
  echo "QEMU total is the job's Time elapsed, which for p2p includes starting the destination's QEMU."
  echo "MiB/s = MiB sent / QEMU total. The guest goes back and forth between the two hosts, one run per leg;"
  echo "the modes take turns within each round, after $warm_rounds unmeasured warm-up round(s) per daemon pair (JIT)."
  if [ "$tls" = 1 ]; then
    echo "--tls: QEMU's own TLS (tls-creds-x509, the peer's certificate checked both ways), one CA's certificates made"
    echo "by certtool (RSA 2048, server for localhost and 127.0.0.1) in one directory named by the jvirtds' jvirt.conf"
    echo "and the libvirtds' qemu.conf (migrate_tls_x509_cert_dir)."
  fi
  echo "jvirt.jar built from commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- '*/src/main' || echo ' plus uncommitted changes under */src/main')."
  echo
  echo "| dirty MiB/s | case | wall ms | QEMU total ms | downtime ms | MiB sent | MiB/s |"
  echo "|---:|---|---:|---:|---:|---:|---:|"
  for d in "${dirty_list[@]}"; do for c in "${CASES[@]}"; do case_row "$d" "$c"; done; done
  echo
  if [ "$tls" = 1 ]; then ratios_tls; else ratios_plain; fi
  if [ "${#COLD[@]}" -gt 0 ]; then
    echo "Cold: wall ms of each mode's first migration after the daemons started (first warm-up round, dirty ${dirty_list[0]} MiB/s;"
    echo "one run each, in this order, so only a rough guide to what the JIT's first compilations cost):"
    echo
    echo "| system |$(column_titles) |"
    echo "|---|$(column_rule)"
    for sys in j l; do
      [ -n "${COLD[$sys.p2p]:-}" ] || continue
      line="| $([ $sys = j ] && echo jvirt || echo libvirt) |"
      for c in "${TABLE_MODES[@]}"; do line+=" ${COLD[$sys.${c%%:*}]:-–} |"; done
      echo "$line"
    done
    echo
  fi
  echo "Control plane, median of $calls calls of virsh over the UNIX socket (virsh's own start included):"
  echo
  echo "| daemon | virsh list ms | virsh dominfo ms |"
  echo "|---|---:|---:|"
  echo "| jvirtd | ${LAT[j.list]:-?} | ${LAT[j.dominfo]:-?} |"
  [ "$libvirt" = 1 ] && echo "| libvirtd 11.3 | ${LAT[l.list]:-?} | ${LAT[l.dominfo]:-?} |"
  echo
  echo "Daemon resident memory (VmRSS, MiB): idle = after start, before any guest; peak = highest sample (every"
  echo "100 ms) during that kind of migration, on the source and the destination daemon. The modes run in this"
  echo "order on the same two daemons and a JVM's RSS shrinks slowly, so a later column carries earlier peaks:"
  echo
  echo "| daemon | idle |$(column_titles ' src/dst') |"
  echo "|---|---:|$(column_rule)"
  rss_row j jvirtd
  [ "$libvirt" = 1 ] && rss_row l "libvirtd 11.3"
  return 0
}

tls_flag() { if [ "$tls" = 1 ]; then echo " --tls"; fi; }

column_titles() { # [SUFFIX]: " p2p SUFFIX | tunnelled SUFFIX" ... for the TABLE_MODES
  local c out=""
  for c in "${TABLE_MODES[@]}"; do out+="${out:+ |} ${c#*:}${1:-}"; done
  echo "$out"
}

column_rule() { local c; for c in "${TABLE_MODES[@]}"; do printf -- '---:|'; done; echo; }

rss_row() { # SYS LABEL: idle and peak RSS of one system's two daemons, per mode of TABLE_MODES
  local sys=$1 c m line
  line="| $2 | ${RSS_IDLE[${sys}a]}/${RSS_IDLE[${sys}b]} |"
  for c in "${TABLE_MODES[@]}"; do m=${c%%:*}; line+=" ${RSS_PEAK[$sys.$m.src]:-–}/${RSS_PEAK[$sys.$m.dst]:-–} |"; done
  echo "$line"
}

ratios_plain() {
  echo "Ratios of medians (the machine is noisy; ratios within one run compare better than absolute numbers):"
  echo
  echo "| dirty MiB/s | jvirt p2p / floor (wall) | jvirt tunnelled / jvirt p2p (wall) | jvirt tunnelled multifd / jvirt p2p multifd (MiB/s) | jvirt tunnelled multifd / jvirt p2p (MiB/s) | jvirt tunnelled multifd / jvirt tunnelled (MiB/s) | jvirt tunnelled / jvirt p2p (MiB/s) | jvirt client / jvirt p2p (wall) | jvirt client / floor (wall) | libvirt tunnelled / libvirt p2p (MiB/s) | jvirt p2p / libvirt p2p (wall) | jvirt tunnelled / libvirt tunnelled (wall) | jvirt client / libvirt p2p (wall) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for d in "${dirty_list[@]}"; do
    echo "| $d | $(ratio "$d" j.p2p f.native 1) | $(ratio "$d" j.tunnelled j.p2p 1) | $(ratio "$d" j.tunnelled-mfd j.p2p-mfd rate) | $(ratio "$d" j.tunnelled-mfd j.p2p rate) | $(ratio "$d" j.tunnelled-mfd j.tunnelled rate) | $(ratio "$d" j.tunnelled j.p2p rate) | $(ratio "$d" j.client j.p2p 1) | $(ratio "$d" j.client f.native 1) | $(ratio "$d" l.tunnelled l.p2p rate) | $(ratio "$d" j.p2p l.p2p 1) | $(ratio "$d" j.tunnelled l.tunnelled 1) | $(ratio "$d" j.client l.p2p 1) |"
  done
  echo
}

ratios_tls() {
  echo "TLS ratios of medians (issue 13 aims at jvirt --tls ≥ 0.9× jvirt plain, and jvirt's tunnel over qemu+tls://"
  echo "≥ libvirt --tls):"
  echo
  echo "| dirty MiB/s | jvirt --tls / jvirt plain (MiB/s) | jvirt --tls multifd / jvirt plain (MiB/s) | jvirt --tls / libvirt --tls (wall) | jvirt --tls multifd / libvirt --tls multifd (wall) | jvirt tunnelled over qemu+tls:// / libvirt --tls (wall) | jvirt tunnelled over qemu+tls:// / jvirt plain (MiB/s) | libvirt --tls / libvirt plain (MiB/s) | jvirt p2p / libvirt p2p (wall) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for d in "${dirty_list[@]}"; do
    echo "| $d | $(ratio "$d" j.p2p-tls j.p2p rate) | $(ratio "$d" j.p2p-tls-mfd j.p2p rate) | $(ratio "$d" j.p2p-tls l.p2p-tls 1) | $(ratio "$d" j.p2p-tls-mfd l.p2p-tls-mfd 1) | $(ratio "$d" j.tunnelled-rpctls l.p2p-tls 1) | $(ratio "$d" j.tunnelled-rpctls j.p2p rate) | $(ratio "$d" l.p2p-tls l.p2p rate) | $(ratio "$d" j.p2p l.p2p 1) |"
  done
  echo
}

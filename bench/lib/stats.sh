# Bash functions (sourced by bench/migration): numbers out of runs, virsh's job info and /proc.

now_ms() { date +%s%3N; }

# median / range / fmt_case of the numbers on stdin (one a line; "?" lines are ignored)
median() { grep -v '?' | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "?"}'; }
range() { grep -v '?' | sort -n | awk 'NR==1{min=$1} {max=$1} END {if (NR) print min "–" max; else print "?"}'; }

# to_mib VALUE UNIT: virsh's "600.775 MiB" as MiB
to_mib() {
  awk -v v="$1" -v u="$2" 'BEGIN { f = (u=="B")?1/1048576:(u=="KiB")?1/1024:(u=="GiB")?1024:(u=="TiB")?1048576:1; printf "%.1f", v*f }'
}

# jobinfo_fields: reads `virsh domjobinfo --completed` on stdin; prints "TOTAL_MS DOWNTIME_MS MIB" ("?" if absent)
jobinfo_fields() {
  awk '
    /^Time elapsed:/ && !t { t = $3 }
    /^Total downtime:/ { d = $3 }
    /^Data processed:/ { v = $3; u = $4 }
    END {
      f = (u=="B")?1/1048576:(u=="KiB")?1/1024:(u=="GiB")?1024:1
      printf "%s %s %s\n", (t==""?"?":t), (d==""?"?":d), (v==""?"?":sprintf("%.1f", v*f))
    }'
}

# rss_mib PID: resident memory of PID in MiB (0 when it is gone)
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2/1024; found=1 } END { if (!found) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0; }

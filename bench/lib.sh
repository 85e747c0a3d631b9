# Helpers the archive benchmarks share (sourced, not run).

# bench_need COMMAND=PACKAGE...: installs from Debian the packages whose command is missing (needs root or sudo).
bench_need() {
  local need=() pair
  for pair in "$@"; do
    if [ "${pair%%=*}" = time ]; then [ -x /usr/bin/time ] || need+=(time); continue; fi
    command -v "${pair%%=*}" >/dev/null || need+=("${pair#*=}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
  fi
}

# median5 DIR FILE_PATTERN LABEL CMD...: runs CMD five times, {} in it replaced by FILE_PATTERN with %k the run's
# number (1-5); prints the median wall time with every run's, and writes the median to DIR/LABEL.secs.
median5() {
  local dir=$1 pattern=$2 label=$3; shift 3
  local all=() k a s kb
  for k in 1 2 3 4 5; do
    local args=()
    for a in "$@"; do args+=("${a//\{\}/${pattern//%k/$k}}"); done
    /usr/bin/time -f "%e %M" -o "$dir/last" "${args[@]}" >"$dir/$label.log" 2>&1 || { echo "FAILED: $label (see $dir/$label.log)"; tail -5 "$dir/$label.log"; exit 1; }
    read -r s kb < "$dir/last"
    all+=("$s")
  done
  local med; med=$(printf '%s\n' "${all[@]}" | sort -n | sed -n 3p)
  printf '  %-40s %8.2f s %8.0f MB   (runs: %s)\n' "$label" "$med" "$((kb / 1024))" "${all[*]}"
  echo "$med" > "$dir/$label.secs"
}

#!/usr/bin/env bash
# Bring up a single-node Son of Grid Engine cell (Debian's gridengine 8.1.9) on this machine, as root,
# for the executor-sge tests. Idempotent: installs what is missing, starts the daemons that are not
# running (without systemd), changes only the configuration that differs, clears queue error states
# and proves the cell with a real job. Safe to re-run while jobs run.
#
# Environment (all optional):
#   SGE_SETUP_DEADLINE   seconds to wait for each daemon / the check job (default 60)
set -Eeuo pipefail

START_NS=$(date +%s%N)
DEADLINE=${SGE_SETUP_DEADLINE:-60}
SGE_ROOT=/var/lib/gridengine
SGE_CELL=default
COMMON=$SGE_ROOT/$SGE_CELL/common
QMASTER_SPOOL=/var/spool/gridengine/qmaster
EXECD_SPOOL=/var/spool/gridengine/execd
ADMIN_USER=sgeadmin
PACKAGES=(gridengine-master gridengine-exec gridengine-client)
export SGE_ROOT SGE_CELL
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

log() { echo "sge-setup: $*"; }
die() { echo "sge-setup: FAILED: $*" >&2; exit 1; }
trap 'rc=$?; echo "sge-setup: FAILED: command \"$BASH_COMMAND\" (line $LINENO) exited $rc" >&2; exit $rc' ERR

[ "$(id -u)" = 0 ] || die "must run as root"

WORK=$(mktemp -d /tmp/sge-setup.XXXXXX)
: > "$WORK/diff"
POLICY_CREATED=
POLICY_BACKUP=
cleanup() {
  if [ -n "$POLICY_CREATED" ]; then rm -f /usr/sbin/policy-rc.d; fi
  if [ -n "$POLICY_BACKUP" ]; then mv -f "$POLICY_BACKUP" /usr/sbin/policy-rc.d; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

elapsed() { echo $(( ($(date +%s%N) - START_NS) / 1000000 )) | sed -E 's/^([0-9]*)([0-9]{3})$/\1.\2/; s/^\./0./'; }

# ---------------------------------------------------------------------------------------------- install
packages_missing() {
  local p
  for p in "${PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || return 0
  done
  return 1
}

if packages_missing; then
  log "installing ${PACKAGES[*]}"
  host=$(hostname)
  debconf-set-selections <<EOF
gridengine-common shared/gridenginecell string $SGE_CELL
gridengine-common shared/gridengineconfig boolean true
gridengine-master shared/gridenginemaster string $host
gridengine-client shared/gridenginemaster string $host
gridengine-exec shared/gridenginemaster string $host
EOF
  # Keep the packages' maintainer scripts from starting daemons (we start them ourselves below).
  if [ -e /usr/sbin/policy-rc.d ]; then
    POLICY_BACKUP=$WORK/policy-rc.d.orig
    cp -p /usr/sbin/policy-rc.d "$POLICY_BACKUP"
  else
    POLICY_CREATED=1
  fi
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  export DEBIAN_FRONTEND=noninteractive
  apt_install() { apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >"$WORK/apt.log" 2>&1; }
  if ! apt_install; then
    log "apt-get install failed; running apt-get update and retrying"
    apt-get update -q >"$WORK/apt-update.log" 2>&1 || { cat "$WORK/apt-update.log" >&2; die "apt-get update failed"; }
    apt_install || { tail -30 "$WORK/apt.log" >&2; die "apt-get install ${PACKAGES[*]} failed"; }
  fi
  # Restore the machine's own policy (or remove ours) at once, not only at exit.
  if [ -n "$POLICY_CREATED" ]; then rm -f /usr/sbin/policy-rc.d; POLICY_CREATED=; fi
  if [ -n "$POLICY_BACKUP" ]; then mv -f "$POLICY_BACKUP" /usr/sbin/policy-rc.d; POLICY_BACKUP=; fi
  log "installed ($(elapsed) s)"
fi

# A cell is created by gridengine-master's postinst when shared/gridengineconfig was true; do the
# same if the packages were installed without it.
if [ ! -s "$COMMON/bootstrap" ]; then
  log "no cell at $COMMON: initialising it"
  for d in "$QMASTER_SPOOL" "$QMASTER_SPOOL/job_scripts" /var/spool/gridengine/spooldb; do
    mkdir -p "$d"; chown "$ADMIN_USER:$ADMIN_USER" "$d"; chmod 755 "$d"
  done
  su -s /bin/sh -c "/usr/share/gridengine/scripts/init_cluster $SGE_ROOT $SGE_CELL /var/spool/gridengine/spooldb $ADMIN_USER" "$ADMIN_USER" \
    >"$WORK/init.log" 2>&1 || { cat "$WORK/init.log" >&2; die "init_cluster failed"; }
fi
if [ ! -s "$COMMON/act_qmaster" ]; then
  hostname > "$COMMON/act_qmaster"
  chown "$ADMIN_USER:$ADMIN_USER" "$COMMON/act_qmaster"
fi

# ------------------------------------------------------------------------------------------ host names
# The name SGE uses for this host (its own resolver), and the cell's master.
HOST=$(/usr/lib/gridengine/gethostname -name)
[ -n "$HOST" ] || die "cannot resolve this host's name (/usr/lib/gridengine/gethostname -name)"
MASTER=$(head -n1 "$COMMON/act_qmaster")
if [ "$MASTER" != "$HOST" ] && [ "$MASTER" != "$(hostname)" ]; then
  die "the cell was created for host '$MASTER' but this host is '$HOST'; purge and reinstall (apt-get purge ${PACKAGES[*]}; rm -rf $SGE_ROOT/$SGE_CELL /var/spool/gridengine) and re-run"
fi

# Local clients connect from 127.0.0.1, which resolves to "localhost"; without this alias every
# client is refused ("client IP resolved to host name localhost ..."). Must exist before qmaster starts.
aliases="$HOST localhost"
[ "$(hostname)" = "$HOST" ] || aliases="$HOST $(hostname) localhost"
if [ "$(cat "$COMMON/host_aliases" 2>/dev/null)" != "$aliases" ]; then
  log "writing host_aliases ($aliases)"
  echo "$aliases" > "$COMMON/host_aliases"
  HOST_ALIASES_CHANGED=1
else
  HOST_ALIASES_CHANGED=
fi
chown "$ADMIN_USER:$ADMIN_USER" "$COMMON/host_aliases"
chmod 644 "$COMMON/host_aliases"

mkdir -p /var/run/gridengine
chown "$ADMIN_USER:$ADMIN_USER" /var/run/gridengine

# Call the binaries, not the /usr/bin wrappers: each wrapper call runs util/arch and costs ~0.3 s
# (the binaries ~0.03 s). The binaries need SGE_ROOT, SGE_CELL (and SGE_ARCH) in the environment.
SGE_BIN=/usr/lib/gridengine
# shellcheck disable=SC1091
. "$COMMON/settings.sh"
export SGE_ROOT SGE_CELL SGE_ARCH
for c in qconf qsub qstat qmod qhost qdel; do eval "$c() { \"\$SGE_BIN/$c\" \"\$@\"; }"; done

# ------------------------------------------------------------------------------------------- daemons
# Pids of live (non-zombie) processes with this exact name. Daemonising leaves zombies named like
# the daemon under init on some machines, so plain pgrep is not enough.
live_pids() { ps -C "$1" -o pid=,stat= 2>/dev/null | awk '$2 !~ /^Z/ {print $1}'; }

daemon_gone() { [ -z "$(live_pids "$1")" ]; }

qping_ok() { timeout 10 "$SGE_BIN/qping" -info "$HOST" "$1" "$2" 1 >/dev/null 2>&1; }

# wait_until SECONDS DESCRIPTION COMMAND...: poll every 0.2 s, never longer than the deadline.
wait_until() {
  local secs=$1 what=$2; shift 2
  local end=$(( $(date +%s) + secs ))
  while ! "$@"; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.2
  done
}

# Kill whatever is left of a daemon (hung, or not answering): its processes by exact name, by pid.
kill_daemon() {
  local name=$1 pid
  for pid in $(live_pids "$name"); do kill -TERM "$pid" 2>/dev/null || true; done
  wait_until 10 "$name to exit" daemon_gone "$name" || {
    for pid in $(live_pids "$name"); do kill -KILL "$pid" 2>/dev/null || true; done
    sleep 0.5
  }
}

start_qmaster() {
  # Stale files from a killed qmaster: the pid file and the shutdown lock (both harmless to SGE 8.1.9
  # when the pid is gone, but removed so nothing trusts them).
  rm -f "$QMASTER_SPOOL/qmaster.pid" "$QMASTER_SPOOL/lock" /var/run/gridengine/qmaster.pid
  # A qmaster that was killed has not saved its last job id (jobseqnum is written lazily): it would
  # hand out again ids of jobs that already finished, and qacct -j ID would then show two records.
  # Continue after the highest id in the accounting file (ids of jobs still spooled are skipped by
  # the qmaster itself).
  local acct=$COMMON/accounting seq=0 max=0
  [ -s "$QMASTER_SPOOL/jobseqnum" ] && seq=$(tr -dc 0-9 < "$QMASTER_SPOOL/jobseqnum")
  [ -s "$acct" ] && max=$(awk -F: '!/^#/ && $6 + 0 > m { m = $6 + 0 } END { print m + 0 }' "$acct")
  if [ "${max:-0}" -gt "${seq:-0}" ]; then
    echo "$max" > "$QMASTER_SPOOL/jobseqnum"
    chown "$ADMIN_USER:$ADMIN_USER" "$QMASTER_SPOOL/jobseqnum"
    log "job ids continue after $max (the accounting's highest; jobseqnum said ${seq:-none})"
  fi
  QMASTER_STARTED=1
  log "starting sge_qmaster"
  ( cd / && daemon_env "$SGE_BIN/sge_qmaster" ) </dev/null >"$WORK/qmaster.out" 2>&1 || { cat "$WORK/qmaster.out" >&2; die "sge_qmaster did not start"; }
}

start_execd() {
  # The execd spools under the name it resolves for itself (may be "localhost" here).
  rm -f "$EXECD_SPOOL"/*/execd.pid /var/run/gridengine/execd.pid
  log "starting sge_execd"
  ( cd / && daemon_env "$SGE_BIN/sge_execd" ) </dev/null >"$WORK/execd.out" 2>&1 || { cat "$WORK/execd.out" >&2; die "sge_execd did not start"; }
}

# Daemons start with a clean, fixed environment: the execd's environment is inherited by every job
# (on top of the variables SGE sets), so starting it from a CI runner or a developer's shell would
# leak that shell's variables into jobs.
daemon_env() {
  env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 \
    SGE_ROOT="$SGE_ROOT" SGE_CELL="$SGE_CELL" SGE_ARCH="$SGE_ARCH" "$@"
}

qmaster_messages() { tail -n 15 "$QMASTER_SPOOL/messages" 2>/dev/null | sed 's/^/  qmaster: /' >&2 || true; }
execd_messages() { tail -n 15 "$EXECD_SPOOL"/*/messages 2>/dev/null | sed 's/^/  execd: /' >&2 || true; }

QMASTER_STARTED=
# qmaster: start it if it is not running; restart it if it runs but does not answer (or if
# host_aliases changed, which it reads only at start).
if [ -n "$(live_pids sge_qmaster)" ]; then
  if [ -n "$HOST_ALIASES_CHANGED" ]; then
    log "host_aliases changed: restarting sge_qmaster"
    kill_daemon sge_qmaster; start_qmaster
  elif ! wait_until 15 "qmaster" qping_ok 6444 qmaster; then
    log "sge_qmaster runs but does not answer: restarting it"
    kill_daemon sge_qmaster; start_qmaster
  fi
else
  start_qmaster
fi
wait_until "$DEADLINE" "qmaster" qping_ok 6444 qmaster || { qmaster_messages; die "sge_qmaster did not answer qping within $DEADLINE s"; }
# qping answers a little before the qmaster serves requests.
qconf_ok() { qconf -sh >/dev/null 2>&1; }
wait_until "$DEADLINE" "qconf" qconf_ok || { qmaster_messages; die "qmaster does not answer qconf within $DEADLINE s"; }
log "sge_qmaster up ($(elapsed) s)"

# ------------------------------------------------------------------------------------- configuration
# Objects are compared in a normal form (continuation lines joined, blanks squeezed); only the
# attributes this script sets are compared, and an object is written only if one of them differs.
NORM_AWK='
  function emit(line) {
    gsub(/[ \t]+/, " ", line); sub(/^ /, "", line); sub(/ $/, "", line)
    if (line == "" || line ~ /^#/) return
    k = line; sub(/ .*/, "", k); v = ""; if (index(line, " ")) { v = line; sub(/^[^ ]* /, "", v) }
    got(k, v)
  }
  function feed(raw) {
    if (cont != "") { raw = cont " " raw; cont = "" }
    if (raw ~ /\\[ \t]*$/) { sub(/\\[ \t]*$/, "", raw); cont = raw; return }
    emit(raw)
  }
  function flush() { if (cont != "") { emit(cont); cont = "" } }
'
normalize() { awk "$NORM_AWK"'function got(k, v) { print k " " v } { feed($0) } END { flush() }'; }

# differs DESIRED CURRENT: true if a key of DESIRED is missing from CURRENT or has another value
# (the differences go to $WORK/diff).
differs() {
  awk "$NORM_AWK"'
    function got(k, v) { if (file == 1) { cur[k] = v; seen[k] = 1 } else { keys[++n] = k; want[k] = v } }
    BEGIN { file = 1 }
    FNR == 1 && NR > 1 { flush(); file = 2 }
    { feed($0) }
    END {
      flush()
      for (i = 1; i <= n; i++) { k = keys[i]
        if (!(k in seen) || cur[k] != want[k]) { bad = 1; print "  " k ": " (k in seen ? cur[k] : "(missing)") " -> " want[k] } }
      exit bad ? 0 : 1
    }' "$2" "$1" >"$WORK/diff"
}

# override FILE KEY VALUE [KEY VALUE...]: rewrite FILE (normal form) with these values.
override() {
  local f=$1 ov=""; shift
  while [ $# -gt 0 ]; do ov="$ov$1"$'\t'"$2"$'\n'; shift 2; done
  OV=$ov awk "$NORM_AWK"'
    BEGIN { n = split(ENVIRON["OV"], lines, "\n"); for (i = 1; i <= n; i++) if (lines[i] != "") {
              split(lines[i], kv, "\t"); order[++m] = kv[1]; ov[kv[1]] = kv[2] } }
    function got(k, v) { if (k in ov) { v = ov[k]; used[k] = 1 } print k " " v }
    { feed($0) }
    END { flush(); for (i = 1; i <= m; i++) if (!(order[i] in used)) print order[i] " " ov[order[i]] }' "$f" > "$f.n"
  mv "$f.n" "$f"
}

# set_param LIST KEY=VALUE: a space- or comma-separated parameter list with KEY set to VALUE.
set_param() {
  local list=$1 kv=$2 k=${2%%=*} out="" p
  if [ "$list" = none ] || [ "$list" = NONE ]; then list=""; fi
  for p in $(echo "$list" | tr ',' ' '); do
    [ "${p%%=*}" = "$k" ] || out="$out $p"
  done
  echo "${out# } $kv" | sed 's/^ //'
}

CHANGED=0
changed() { CHANGED=$((CHANGED + 1)); log "$1"; sed 's/^/sge-setup:/' "$WORK/diff" 2>/dev/null || true; : > "$WORK/diff"; }

# Global configuration (execd reads it at start: if it changes while execd runs, execd is restarted).
GLOBAL_CHANGED=
mkdir -p "$WORK/conf"
qconf -sconf global > "$WORK/conf/current"
cp "$WORK/conf/current" "$WORK/conf/global"
normalize < "$WORK/conf/current" > "$WORK/conf/current.n"
cur_reporting=$(awk '$1 == "reporting_params" { $1 = ""; sub(/^ /, ""); print }' "$WORK/conf/current.n")
cur_execd=$(awk '$1 == "execd_params" { $1 = ""; sub(/^ /, ""); print }' "$WORK/conf/current.n")
override "$WORK/conf/global" \
  min_uid 0 \
  min_gid 0 \
  reporting_params "$(set_param "${cur_reporting:-none}" accounting_flush_time=00:00:00)" \
  execd_params "$(set_param "${cur_execd:-none}" ENABLE_ADDGRP_KILL=TRUE)"
if differs "$WORK/conf/global" "$WORK/conf/current"; then
  qconf -Mconf "$WORK/conf/global" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; die "qconf -Mconf global failed"; }
  changed "global configuration updated"; GLOBAL_CHANGED=1
fi

# Scheduler.
qconf -ssconf > "$WORK/sconf.current"
cp "$WORK/sconf.current" "$WORK/sconf"
override "$WORK/sconf" schedule_interval 0:0:1 flush_submit_sec 1 flush_finish_sec 1 job_load_adjustments NONE
if differs "$WORK/sconf" "$WORK/sconf.current"; then
  qconf -Msconf "$WORK/sconf" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; die "qconf -Msconf failed"; }
  changed "scheduler configuration updated"
fi

# Complex m_mem_free (SoGE has none; consumable, scheduled, never enforced).
qconf -sc > "$WORK/complex.current"
want_mmf="m_mem_free mmf MEMORY <= YES YES 0 0"
if [ "$(awk '$1 == "m_mem_free"' "$WORK/complex.current" | normalize)" != "$want_mmf" ]; then
  { grep -v '^#' "$WORK/complex.current" | awk '$1 != "m_mem_free"'; echo "$want_mmf"; } > "$WORK/complex"
  qconf -Mc "$WORK/complex" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; die "qconf -Mc failed"; }
  changed "complex m_mem_free added"
fi

# ensure KIND NAME FILE: add the object if absent, modify it if one of FILE's attributes differs.
# KIND is the qconf letter(s): p (PE), prj (project), hgrp (host group), e (exec host), q (queue).
ensure() {
  local kind=$1 name=$2 file=$3
  if qconf "-s$kind" "$name" > "$WORK/current" 2>/dev/null; then
    if differs "$file" "$WORK/current"; then
      qconf "-M$kind" "$file" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; die "qconf -M$kind $name failed"; }
      changed "$name updated"
    fi
  else
    qconf "-A$kind" "$file" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; die "qconf -A$kind $name failed"; }
    changed "$name added"
  fi
}

cat > "$WORK/pe" <<EOF
pe_name            smp
slots              999
user_lists         NONE
xuser_lists        NONE
start_proc_args    NONE
stop_proc_args     NONE
allocation_rule    \$pe_slots
control_slaves     FALSE
job_is_first_task  TRUE
urgency_slots      min
accounting_summary FALSE
qsort_args         NONE
EOF
ensure p smp "$WORK/pe"

cat > "$WORK/prj" <<EOF
name    jobmon_test
oticket 0
fshare  0
acl     NONE
xacl    NONE
EOF
ensure prj jobmon_test "$WORK/prj"

MEM_MB=$(awk '$1 == "MemTotal:" { print int($2 / 1024) }' /proc/meminfo)
cat > "$WORK/exechost" <<EOF
hostname          $HOST
load_scaling      NONE
complex_values    slots=2,m_mem_free=${MEM_MB}M
user_lists        NONE
xuser_lists       NONE
projects          NONE
xprojects         NONE
usage_scaling     NONE
report_variables  NONE
EOF
ensure e "$HOST" "$WORK/exechost"

cat > "$WORK/hgrp" <<EOF
group_name @allhosts
hostlist   $HOST
EOF
ensure hgrp @allhosts "$WORK/hgrp"

qconf -sq > "$WORK/queue.template"
for q in all.q:72:00:00 long.q:384:00:00; do
  name=${q%%:*} h_rt=${q#*:}
  qconf -sq "$name" > "$WORK/queue.$name" 2>/dev/null || cp "$WORK/queue.template" "$WORK/queue.$name"
  override "$WORK/queue.$name" qname "$name" hostlist @allhosts pe_list smp load_thresholds NONE \
    shell /bin/bash slots 2 h_rt "$h_rt"
  ensure q "$name" "$WORK/queue.$name"
done

qconf -ss > "$WORK/submit" 2>/dev/null || true
if ! grep -qx "$HOST" "$WORK/submit"; then qconf -as "$HOST" >/dev/null 2>&1; changed "$HOST added as submit host"; fi
qconf -sh > "$WORK/admin" 2>/dev/null || true
if ! grep -qx "$HOST" "$WORK/admin"; then qconf -ah "$HOST" >/dev/null 2>&1; changed "$HOST added as admin host"; fi

log "configuration: $CHANGED change(s) ($(elapsed) s)"

# --------------------------------------------------------------------------------------------- execd
# Jobs running on this host (their shepherds outlive an execd restart, but the restarted execd
# notices their end only up to ~1 min late).
jobs_running_here() { [ -n "$(ls -A "$EXECD_SPOOL"/*/active_jobs 2>/dev/null)" ]; }
if [ -n "$(live_pids sge_execd)" ]; then
  if [ -n "$GLOBAL_CHANGED" ] || [ -n "$HOST_ALIASES_CHANGED" ]; then
    # execd caches the global configuration; restart it (SIGTERM: jobs keep running).
    log "restarting sge_execd (configuration changed)"
    kill_daemon sge_execd; start_execd
  elif [ -n "$QMASTER_STARTED" ] && ! jobs_running_here; then
    # An execd that outlived its qmaster re-registers only after ~25 s; a restart takes ~1 s.
    log "restarting sge_execd (the qmaster was restarted)"
    kill_daemon sge_execd; start_execd
  elif [ -n "$QMASTER_STARTED" ]; then
    log "sge_execd runs jobs: leaving it to re-register with the new qmaster (~25 s)"
  elif ! wait_until 15 "execd" qping_ok 6445 execd; then
    log "sge_execd runs but does not answer: restarting it"
    kill_daemon sge_execd; start_execd
  fi
else
  start_execd
fi
wait_until "$DEADLINE" "execd" qping_ok 6445 execd || { execd_messages; die "sge_execd did not answer qping within $DEADLINE s"; }
# The execd must have registered with the qmaster (its queue instances out of state u, "unknown")
# before jobs can be scheduled.
queues_known() {
  qstat -f -q all.q,long.q 2>/dev/null | awk -v h="@$HOST" '
    index($1, h) { n++; if (NF >= 6 && $6 ~ /u/) bad = 1 } END { exit !(n >= 2 && !bad) }'
}
wait_until "$DEADLINE" "execd registration" queues_known || { qstat -f >&2 || true; execd_messages; die "the queues on $HOST stayed in state u (execd not registered) for $DEADLINE s"; }
log "sge_execd up ($(elapsed) s)"

# ------------------------------------------------------------------------------------- final checks
# Clear error states (e.g. left by a job that failed while execd had an old configuration).
qmod -cq '*' >/dev/null 2>&1 || true

# A real job, root, through the scheduler, with a deadline.
if ! job_out=$(cd / && timeout "$DEADLINE" "$SGE_BIN/qsub" -b y -sync y -terse -N sge_setup_check -o /dev/null -j y true 2>&1); then
  echo "$job_out" >&2
  qstat -f >&2 || true
  qstat -j sge_setup_check 2>/dev/null | sed -n '/^scheduling info/,$p' >&2 || true
  qdel sge_setup_check >/dev/null 2>&1 || true
  die "the check job (qsub -b y -sync y true) did not succeed within $DEADLINE s (output above; a cell whose slots are all taken by running jobs cannot run it)"
fi
log "check job $(echo "$job_out" | head -n1) ran"
log "cell ready on $HOST in $(elapsed) s"

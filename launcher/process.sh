# shellcheck shell=bash
# launcher/process.sh: the daemons' life cycle for ./tollgate (sourced by it):
# a pid file per daemon in var/run, start in its own session with the log
# appended, a health URL to wait for, SIGTERM then SIGKILL to stop.
# Trade-off: no supervisor; a daemon that dies stays down until started again.

pidfile() { echo "$VAR/run/$1.pid"; }

# pid_of NAME: the pid if that daemon is alive, else nothing.
pid_of() {
	local f pid
	f=$(pidfile "$1")
	[[ $1 == db ]] && f=$VAR/mysql/mysqld.pid
	[[ -s $f ]] || return 0
	pid=$(<"$f")
	[[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 0
	# a Galera node's pid file outlives a SIGKILL: a reused pid is not the node
	[[ $1 =~ ^db[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) != mariadbd ]] && return 0
	echo "$pid"
	return 0
}

raise_fd_limit() {
	ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
}

# spawn NAME CMD...: background daemon in its own session, log appended.
spawn() {
	local name=$1
	shift
	printf '=== %s starting: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$VAR/log/$name.log"
	setsid "$@" </dev/null >>"$VAR/log/$name.log" 2>&1 &
	echo $! >"$(pidfile "$name")"
}

# wait_health NAME URL: until URL answers 2xx, the daemon dies, or the timeout.
wait_health() {
	local name=$1 url=$2 i pid
	for ((i = 0; i < HEALTH_TIMEOUT * 5; i++)); do
		pid=$(pid_of "$name")
		if [[ -n $pid ]] && curl -sfk --max-time 2 -o /dev/null "$url"; then
			[[ -n $(pid_of "$name") ]] && return 0
			pid=""
		fi
		if [[ -z $pid ]]; then
			log "$name exited during start-up; last log lines:"
			tail -n 20 "$VAR/log/$name.log" >&2
			return 1
		fi
		sleep 0.2
	done
	log "$name not healthy at $url after ${HEALTH_TIMEOUT}s; last log lines:"
	tail -n 20 "$VAR/log/$name.log" >&2
	return 1
}

# ports_free NAME PORT...: fail with a clear message when another process
# (another stack, a daemon this var/ lost track of) already listens there.
ports_free() {
	local name=$1 port
	shift
	for port in "$@"; do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			log "cannot start $name: port $port is already in use (another stack? set TOLLGATE_PORT_SHIFT)"
			return 1
		fi
	done
}

# stop_pid NAME: SIGTERM, wait (sanitizer builds need a while to exit), SIGKILL.
stop_pid() {
	local name=$1 pid i
	pid=$(pid_of "$name")
	if [[ -z $pid ]]; then
		rm -f "$(pidfile "$name")"
		return 0
	fi
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$name (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT}s: killing it"
		kill -KILL "$pid" 2>/dev/null || true
		printf '=== %s killed after SIGTERM timeout\n' "$(date -u +%FT%TZ)" >>"$VAR/log/$name.log"
	fi
	rm -f "$(pidfile "$name")"
}

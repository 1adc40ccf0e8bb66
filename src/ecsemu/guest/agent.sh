#!/bin/sh
# ecsemu's Cloud Assistant agent: runs in the guest (POSIX sh; busybox's applets) and runs the
# commands the host sends over one virtio-serial port.
#
#   agent.sh [PORT]    PORT: the port's device (default /dev/virtio-ports/org.ecsemu.agent),
#                      or "-" for stdin/stdout (tests run it so, on the host)
#
# Protocol: ASCII lines "VERB field...\n", fields separated by one space. A field that is
# text is base64 (no line breaks); "-" stands for an empty one.
#
#   host -> guest
#     PING                                   asks for a HELLO
#     RUN <id> <timeout> <dir> <user> <script>
#                                            runs <script> (base64) with sh in <dir> (base64)
#                                            as <user> (base64; "-": the agent's own user),
#                                            killed after <timeout> seconds; <id> [A-Za-z0-9-]
#     KILL <id>                              kills the command <id> and what it started
#   guest -> host
#     HELLO ecsemu-agent <version>           when the port opens, and after each PING
#     STARTED <id>                           RUN accepted; the command starts
#     DONE <id> <outcome> <exit> <dropped> <output>
#                                            <outcome>: exited, timeout, killed, nodir (no such
#                                            directory), nouser (no such user), error (the
#                                            script could not be written); <exit>: the exit
#                                            status (1 when it did not exit by itself, as the
#                                            real agent reports a timeout); <output>: the last
#                                            24 KiB of stdout and stderr, base64; <dropped>: the
#                                            bytes before them, cut
#     ERR <reason>                           a line it could not read; it goes on reading
#
# Commands run in the background, so a KILL is read while one runs; each DONE is one write.
# When the host goes away (end of file) the port is opened again, so that the host may
# connect once per command.

VERSION=1.0
PORT=${1:-/dev/virtio-ports/org.ecsemu.agent}
STATE=${ECSEMU_AGENT_STATE:-/tmp/ecsemu-agent}
LIMIT=24576   # bytes of output kept, as the real service keeps

mkdir -p "$STATE" || exit 1

say() { printf '%s\n' "$*"; }
encode() { base64 | tr -d '\n'; }
decode() { [ "$1" = - ] || printf '%s' "$1" | base64 -d; }
is_id() { case $1 in '' | *[!A-Za-z0-9-]*) return 1 ;; esac; }
is_seconds() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }

# One command, in a background subshell: its own session, so that a timeout or a KILL ends
# every process it started.
run() {
    id=$1 seconds=$2 job="$STATE/$1"
    dir=$(decode "$3") user=$(decode "$4")
    if [ -f "$job.killed" ]; then
        rm -f "$job".*; say "DONE $id killed 1 0 -"; return
    fi
    if ! decode "$5" > "$job.sh" 2>/dev/null; then
        rm -f "$job".*; say "DONE $id error 1 0 -"; return
    fi
    if [ -n "$user" ] && [ "$user" != "$(id -un)" ] && ! id "$user" > /dev/null 2>&1; then
        rm -f "$job".*; say "DONE $id nouser 1 0 -"; return
    fi
    if ! cd "$dir" 2>/dev/null; then
        rm -f "$job".*; say "DONE $id nodir 1 0 -"; return
    fi
    start=$(date +%s)
    if [ -z "$user" ] || [ "$user" = "$(id -un)" ]; then
        timeout -s KILL "$seconds" setsid sh "$job.sh" < /dev/null > "$job.out" 2>&1 &
    else
        chmod 644 "$job.sh"
        timeout -s KILL "$seconds" setsid su -s /bin/sh "$user" -c "sh '$job.sh'" < /dev/null > "$job.out" 2>&1 &
    fi
    pid=$!
    echo "$pid" > "$job.pid"
    [ -f "$job.killed" ] && kill -KILL -- "-$pid" 2>/dev/null   # a KILL that came first
    wait "$pid"
    status=$?
    kill -KILL -- "-$pid" 2>/dev/null   # what it left running
    outcome=exited
    if [ -f "$job.killed" ]; then
        outcome=killed status=1
    elif [ "$status" -ge 124 ] && [ $(($(date +%s) - start)) -ge "$seconds" ]; then
        outcome=timeout status=1
    fi
    size=$(wc -c < "$job.out")
    dropped=0
    [ "$size" -gt "$LIMIT" ] && dropped=$((size - LIMIT))
    output=$(tail -c "$LIMIT" "$job.out" | encode)
    rm -f "$job".*
    say "DONE $id $outcome $status $dropped ${output:--}"
}

serve() {
    say "HELLO ecsemu-agent $VERSION"
    while IFS= read -r line; do
        set -f
        # shellcheck disable=SC2086  # the fields, split on spaces
        set -- $line
        set +f
        case $1 in
        PING) say "HELLO ecsemu-agent $VERSION" ;;
        RUN)
            if [ $# -eq 6 ] && is_id "$2" && is_seconds "$3"; then
                say "STARTED $2"
                (run "$2" "$3" "$4" "$5" "$6") &
            else
                say "ERR RUN takes <id> <timeout> <dir> <user> <script>"
            fi
            ;;
        KILL)
            if [ $# -eq 2 ] && is_id "$2"; then
                : > "$STATE/$2.killed"   # read by its job, should it not have started yet
                [ -f "$STATE/$2.pid" ] && kill -KILL -- "-$(cat "$STATE/$2.pid")" 2>/dev/null
            fi
            ;;
        '') ;;
        *) say "ERR unknown verb" ;;
        esac
    done
}

if [ "$PORT" = - ]; then
    serve
    wait
    exit 0
fi
# A virtio-serial port reads end of file while no host is connected: a short pause keeps
# that from spinning; one that cannot be opened (no such port yet) is tried every second.
while :; do
    if { serve <> "$PORT" >&0; } 2>/dev/null; then sleep 0.2; else sleep 1; fi
done

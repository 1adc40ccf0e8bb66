#!/bin/sh
# The public image's init (PID 1 on its system disk, /sbin/init). It does what cloud-init
# does on a real instance, with busybox only: reads the metadata service at
# 100.100.100.200 (the token API first, so that hardened mode works), sets the host name,
# the root key and password, runs the user data once per instance, then writes the boot
# record the instance driver waits for on the serial console:
#   ecsemu-guest: up <hostname> <instance-id> key <SHA256 fingerprint or none>
# and starts the Cloud Assistant agent when the image holds one. ACPI's power button
# (StopInstance) ends in a clean power-off; so does `poweroff` inside the guest.
export PATH=/sbin:/bin
METADATA=100.100.100.200
STATE=/var/lib/ecsemu
AGENT=/etc/ecsemu/agent.sh
AGENT_PORT=/dev/virtio-ports/org.ecsemu.agent

say() { echo "ecsemu-guest: $*" >/dev/console; }

mounts() {
    mount -t proc proc /proc
    mount -t sysfs sysfs /sys
    mount -t devtmpfs devtmpfs /dev 2>/dev/null
    mkdir -p /dev/pts /run /tmp "$STATE" /dev/virtio-ports /dev/disk/by-id
    mount -t devpts devpts /dev/pts
    mount -t tmpfs tmpfs /run
    mount -o remount,rw /
    # No udev: the names udev would give the agent's port and the data disks.
    for port in /sys/class/virtio-ports/*; do
        [ -e "$port/name" ] && ln -sf "/dev/${port##*/}" "/dev/virtio-ports/$(cat "$port/name")"
    done
    for disk in /sys/block/vd*; do
        [ -s "$disk/serial" ] && ln -sf "/dev/${disk##*/}" "/dev/disk/by-id/virtio-$(cat "$disk/serial")"
    done
}

network() {
    ip link set lo up
    ip link set eth0 up
    udhcpc -q -n -t 5 -T 1 -i eth0 -s /etc/ecsemu/udhcpc.sh >/dev/null 2>&1 || say "no DHCP answer"
}

# http METHOD PATH [HEADER]: the body of a 200 answer on stdout; fails on any other status.
http() {
    request="$1 $2 HTTP/1.0\r\nHost: $METADATA\r\n"
    [ -n "$3" ] && request="$request$3\r\n"
    [ -n "$TOKEN" ] && request="${request}X-aliyun-ecs-metadata-token: $TOKEN\r\n"
    answer=$(printf '%b\r\n' "$request" | nc -w 5 "$METADATA" 80 | tr -d '\r') || return 1
    case "$answer" in "HTTP/1."?" 200"*) ;; *) return 1 ;; esac
    printf '%s\n' "$answer" | sed '1,/^$/d'
}

metadata() { http GET "/latest/meta-data/$1"; }

fingerprint() {  # the OpenSSH SHA256 fingerprint of a public key line
    hex=$(echo "$1" | cut -d' ' -f2 | base64 -d 2>/dev/null | sha256sum | cut -d' ' -f1)
    printf "$(echo "$hex" | sed 's/../\\x&/g')" | base64 | tr -d '=\n'
}

configure() {
    TOKEN=$(http PUT /latest/api/token "X-aliyun-ecs-metadata-token-ttl-seconds: 300") || TOKEN=
    INSTANCE_ID=$(metadata instance-id) || INSTANCE_ID=unknown
    HOST_NAME=$(metadata hostname) || HOST_NAME=$INSTANCE_ID
    hostname "$HOST_NAME"
    echo "$HOST_NAME" >/etc/hostname
    mkdir -p /root/.ssh
    chmod 700 /root/.ssh
    KEY_FINGERPRINT=none
    if key=$(metadata public-keys/0/openssh-key) && [ -n "$key" ]; then
        echo "$key" >/root/.ssh/authorized_keys
        KEY_FINGERPRINT="SHA256:$(fingerprint "$key")"
    else
        : >/root/.ssh/authorized_keys
    fi
    chmod 600 /root/.ssh/authorized_keys
    if hash=$(metadata password-hash) && [ -n "$hash" ]; then
        sed -i "s|^root:[^:]*:|root:$hash:|" /etc/shadow
    fi
    if http GET /latest/user-data >"$STATE/user-data" && [ "$(head -c 2 "$STATE/user-data")" = "#!" ] \
            && [ ! -e "$STATE/user-data.$INSTANCE_ID.done" ]; then
        chmod 700 "$STATE/user-data"
        "$STATE/user-data" >"$STATE/user-data.log" 2>&1
        echo "$?" >"$STATE/user-data.$INSTANCE_ID.done"
    fi
}

shutdown() {
    say "powering off"
    [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null
    kill "$ACPID_PID" 2>/dev/null
    sync
    mount -o remount,ro / 2>/dev/null
    poweroff -f
}

mounts
trap shutdown USR2 TERM INT   # busybox poweroff and halt signal PID 1 with USR2
network
configure
acpid -f -c /etc/acpi -l /run/acpid.log &
ACPID_PID=$!
say "up $HOST_NAME $INSTANCE_ID key $KEY_FINGERPRINT"
AGENT_PID=
if [ -f "$AGENT" ] && [ -e "$AGENT_PORT" ]; then
    sh "$AGENT" "$AGENT_PORT" </dev/null >/dev/null 2>&1 &
    AGENT_PID=$!
fi
while :; do
    sleep 3600 &
    wait $!
done

#!/bin/sh
# The initramfs's /init (guest/image.py builds it): loads the kernel modules the guest's
# virtual hardware needs, mounts the system disk (/dev/vda: the whole disk, or its first
# partition) and hands over to that disk's /sbin/init.
/bin/busybox mkdir -p /proc /sys /dev /newroot
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
for module in $(/bin/busybox cat /modules/order); do
    /bin/busybox insmod "/modules/$module.ko" 2>/dev/null
done
root=/dev/vda
for _ in 1 2 3 4 5 6 7 8 9 10; do
    [ -b /dev/vda ] && break
    /bin/busybox sleep 0.2
done
[ -b /dev/vda1 ] && root=/dev/vda1
if ! /bin/busybox mount -t ext4 "$root" /newroot; then
    echo "ecsemu-guest: cannot mount the system disk $root" >/dev/console
    /bin/busybox poweroff -f
fi
/bin/busybox umount /proc /sys
/bin/busybox mount --move /dev /newroot/dev 2>/dev/null || /bin/busybox umount /dev
exec /bin/busybox switch_root /newroot /sbin/init

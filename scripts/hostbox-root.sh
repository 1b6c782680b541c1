#!/usr/bin/env bash
# Builds (once) the Debian bookworm root that the host-in-a-box test boots under systemd-nspawn, and prints the
# path of its cached tarball. The cache lives outside the checkout and is keyed by a hash of everything that goes
# in (suite, package list, this script), so a change to any of them builds a new root and a warm run builds none.
set -euo pipefail

CACHE="${LGTM_HOSTBOX_CACHE:-/var/cache/lgtm-hostbox}"
SUITE=bookworm
MIRROR="${LGTM_HOSTBOX_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# What the rendered installer and sync call on the host (Amazon Linux ships them; here they come from Debian):
# systemd as PID 1, the AWS CLI, curl, tar/unzip/xz, flock, blkid/mount, mkfs.xfs, and python3 for the test's
# in-box helpers (fake IMDS is not needed: the scripts take the region from the bootstrap file).
PACKAGES=(systemd systemd-sysv dbus awscli curl ca-certificates unzip xz-utils util-linux xfsprogs iproute2 procps python3)

key="$( { echo "$SUITE" "$MIRROR"; printf '%s\n' "${PACKAGES[@]}"; cat "$0"; } | sha256sum | cut -c1-16)"
tarball="$CACHE/bookworm-$key.tar"
if [[ -s "$tarball" ]]; then
  echo "$tarball"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "hostbox-root: debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
mkdir -p "$CACHE"
work="$(mktemp -d "$CACHE/.build-issue-18.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "hostbox-root: debootstrapping $SUITE into $work (key $key); this takes a minute or two" >&2
# debootstrap resolves dependencies of --include poorly (python3-cryptography's, for one), so it lays down
# only the init system and apt installs the rest inside the new root.
debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus "$SUITE" "$work/root" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
  { tail -30 "$work/debootstrap.log" "$work/root/debootstrap/debootstrap.log" >&2 2>/dev/null; exit 1; }
systemd-nspawn --quiet --register=no --keep-unit --machine="lgtm-hostbox-build-issue-18-$$" -D "$work/root" \
  /bin/sh -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends ${PACKAGES[*]}" \
  >"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log" >&2; exit 1; }
# Nothing inside may wait for hardware or the network that the box does not have.
rm -f "$work/root/etc/machine-id"
: >"$work/root/etc/machine-id"
chroot "$work/root" systemctl mask systemd-networkd-wait-online.service systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer >/dev/null 2>&1 || true
chroot "$work/root" apt-get clean
tar -C "$work/root" -cf "$work/root.tar" .
mv -f "$work/root.tar" "$tarball"
find "$CACHE" -maxdepth 1 -name 'bookworm-*.tar' ! -path "$tarball" -delete
echo "$tarball"

#!/usr/bin/env bash
# Unpacks Debian's arm64 Java runtime, and the arm64 libraries it and leveldbjni need, into DIR
# (a root for qemu-aarch64-static -L DIR), for Arm64IT. Nothing is installed on the machine: the
# .deb files are downloaded and unpacked with dpkg -x. Needs the arm64 package lists
# (dpkg --add-architecture arm64; apt-get update: .ci/run does that). Does nothing when DIR holds it.
#   src/test/arm64/jre-root.sh target/arm64-root
set -euo pipefail
root=$1
java=$root/usr/lib/jvm/java-17-openjdk-arm64/bin/java
if [ -x "$java" ]; then
    exit 0
fi
PACKAGES=(openjdk-17-jre-headless:arm64 libc6:arm64 libgcc-s1:arm64 libstdc++6:arm64 zlib1g:arm64)
debs=$(mktemp -d)
trap 'rm -rf "$debs"' EXIT
(cd "$debs" && apt-get download -q "${PACKAGES[@]}")
mkdir -p "$root"
for deb in "$debs"/*.deb; do
    dpkg -x "$deb" "$root"
done
test -x "$java"

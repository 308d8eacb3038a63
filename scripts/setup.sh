#!/usr/bin/env bash
# Installs the system libraries FatContract links against (on Debian, when run as root), then
# builds the host, the CLI and the example contracts. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# etcd-server: the etcd the cluster tests start (and `fat serve --order etcd://…` orders through).
packages=(libffi-dev libssl-dev libcurl4-openssl-dev libsqlite3-dev libsecp256k1-dev libsodium-dev etcd-server)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    else
        echo "missing system packages: ${missing[*]} (install them with apt-get as root)" >&2
        exit 1
    fi
fi

configuration=${FAT_BUILD_CONFIGURATION:-debug}
swift build -c "$configuration"

# The Rust example contract, when a Rust toolchain is present (it needs no crates).
if command -v cargo >/dev/null; then
    cargo build --release --offline --quiet --manifest-path Contracts/rust-counter/Cargo.toml
fi

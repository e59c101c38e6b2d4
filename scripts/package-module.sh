#!/usr/bin/env bash
# Packages a release of the Terraform module's own files: every *.tf file at the repository
# root, of orchestrator/ and of modules/, and the module/ folder (launcher and stop templates, the bundled supervisor, and
# any data file the .tf files read), nothing else. A template author who vendors the module
# (for example in an air-gapped deployment) copies this folder next to the template: Coder
# limits a pushed template archive to 1 MiB, and the repository as a whole is far larger.
#
# Usage: scripts/package-module.sh [output dir]   (default: .cache/module-release)
# Writes <output dir>/claude-self-hosted-runner/ and <output dir>/claude-self-hosted-runner.tar.gz
# and prints both sizes. Fails when the folder is not well under the limit (768 KiB) or when a
# path that a .tf file reads through ${path.module} is missing from the package.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/.cache/module-release}"
name="claude-self-hosted-runner"
pkg="$out/$name"
limit=$((768 * 1024))

die() { printf 'package-module: error: %s\n' "$*" >&2; exit 1; }

cd "$root"
[ -d module ] || die "no module/ folder in $root"
compgen -G '*.tf' >/dev/null || die "no *.tf files in $root"

rm -rf "$pkg" "$pkg.tar.gz"
mkdir -p "$pkg"
cp -p ./*.tf "$pkg/"
# module/ without the raw bundles: the launchers embed their brotli form and read their checksum
# file; a pre-installed supervisor (supervisor_path) is copied from the repository.
cp -Rp module "$pkg/module"
rm -f "$pkg"/module/*.cjs
# The orchestrator sub-module (its *.tf only): it reads ../module, which the package has.
mkdir -p "$pkg/orchestrator"
cp -p orchestrator/*.tf "$pkg/orchestrator/"
# The internal module that both render their scripts with (its *.tf only).
mkdir -p "$pkg/modules/supervisor-scripts"
cp -p modules/supervisor-scripts/*.tf "$pkg/modules/supervisor-scripts/"
if [ -f LICENSE ]; then cp -p LICENSE "$pkg/"; fi

# Every "${path.module}/<file>" that a .tf file names must be in the package.
missing=""
while IFS= read -r ref; do
  [ -e "$pkg/$ref" ] || missing="$missing $ref"
done < <(grep -ohE '\$\{path\.module\}/[A-Za-z0-9._/-]+' ./*.tf | sed 's|^\${path.module}/||' | sort -u)
while IFS= read -r ref; do
  [ -e "$pkg/orchestrator/$ref" ] || missing="$missing orchestrator/$ref"
done < <(grep -ohE '\$\{path\.module\}/[A-Za-z0-9._/-]+' orchestrator/*.tf | sed 's|^\${path.module}/||' | sort -u)
[ -z "$missing" ] || die "files that the module reads are missing from the package:$missing"

# A reproducible tarball: fixed order, owner and mtime.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00:00Z' \
  -C "$out" -cf - "$name" | gzip -9n >"$pkg.tar.gz"

size="$(du -sb "$pkg" | cut -f1)"
tgz="$(stat -c %s "$pkg.tar.gz")"
printf 'package-module: %s: %d files, %d bytes (%d KiB); %s.tar.gz: %d bytes\n' \
  "$pkg" "$(find "$pkg" -type f | wc -l)" "$size" "$((size / 1024))" "$pkg" "$tgz"
[ "$size" -lt "$limit" ] ||
  die "the module folder is $size bytes: keep it well under Coder's 1 MiB template limit ($limit)"

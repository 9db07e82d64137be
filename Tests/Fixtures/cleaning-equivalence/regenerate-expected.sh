#!/bin/sh
# Regenerates expected/ of the cleaning-equivalence fixture from the seg binary given (see README.md).
# The committed expected/ was produced by the code BEFORE issue 11's faster cleaning steps, commit 1882b86, with
# 1882b86-byte-keys.patch applied (dedupe compares text keys by bytes; README.md says why):
#   git worktree add /tmp/seg-1882b86 1882b86 --detach
#   git -C /tmp/seg-1882b86 apply "$PWD/Tests/Fixtures/cleaning-equivalence/1882b86-byte-keys.patch"
#   (cd /tmp/seg-1882b86 && swift build)
#   Tests/Fixtures/cleaning-equivalence/regenerate-expected.sh /tmp/seg-1882b86/.build/debug/seg "1882b86 + 1882b86-byte-keys.patch"
# Usage: regenerate-expected.sh SEG [COMMIT]   (run from anywhere; COMMIT is written to expected/PRODUCED_WITH)
set -eu
seg=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
commit=${2:-unknown}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$here/workspace.yaml" "$here/data" "$here/plugins" "$here/segmentations" "$work/"
rm -rf "$here/expected"
mkdir -p "$here/expected"
for def in "$here"/segmentations/*.yaml; do
  name=$(basename "$def" .yaml)
  mkdir -p "$here/expected/$name"
  status=0
  "$seg" run "$work" "$name" --quiet >"$work/out.txt" 2>"$work/err.txt" || status=$?
  if [ "$status" -ne 0 ]; then
    # A run that stops: its exit status and its error lines (`seg: error: …`; notes and progress lines may change
    # without the cleaning changing), with the workspace's temporary path taken out.
    echo "$status" >"$here/expected/$name/exit_status"
    grep '^seg: error: ' "$work/err.txt" | sed "s|$work/||g" >"$here/expected/$name/stderr.txt"
    continue
  fi
  run=$(ls "$work/exports/$name")
  for f in cleaning.json rejects.csv membership.csv; do
    cp "$work/exports/$name/$run/$f" "$here/expected/$name/$f"
  done
done
printf 'produced by %s\ncommit %s\n' "$("$seg" --version)" "$commit" >"$here/expected/PRODUCED_WITH"

#!/usr/bin/env bash
# Runs every fuzz target (or the TARGETs named) for SECONDS (default 600) each, seeded from the
# real content and the bad-input corpus; prints libFuzzer's final statistics per target.
#   fuzz/run.sh [SECONDS [TARGET...]]
# Needs `cargo install cargo-fuzz`.
# The fuzz build uses sanitizer flags that stable rustc accepts only with RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH=${1:-600}
shift || true
TARGETS=${*:-front_matter yaml_content markdown pipeline}
export RUSTC_BOOTSTRAP=1
repo=..
seed() {
    local target=$1; shift
    mkdir -p "corpus/$target"
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "corpus/$target/seed-$(echo "$f" | tr '/ ' '__')"
    done
    return 0
}
seed front_matter $repo/content/chapters/*.md $repo/content/index.md $(find $repo/tests/bad-inputs -name '*.md')
seed yaml_content $repo/content/tables/*.yaml $repo/content/figures/*.yaml $repo/content/companies/*.yaml $repo/content/*.yaml $(find $repo/tests/bad-inputs -name '*.yaml')
mkdir -p corpus/markdown
for f in $repo/content/chapters/*.md; do sed '1,/^---$/{/^---$/!d};1,/^---$/d' "$f" | sed '1,/^---$/d' > "corpus/markdown/seed-$(basename "$f")"; done
mkdir -p corpus/pipeline
i=0
for f in $repo/content/chapters/*.md $repo/content/tables/*.yaml $repo/content/companies/*.yaml $repo/content/glossary.yaml $repo/content/figures/*.yaml; do
    printf "\\x$(printf %02x $((i % 6)))" > "corpus/pipeline/seed-$i"; cat "$f" >> "corpus/pipeline/seed-$i"; i=$((i + 1))
done
for target in $TARGETS; do
    echo "== $target ($SECONDS_EACH s)"
    cargo fuzz run -O "$target" "corpus/$target" -- -max_total_time="$SECONDS_EACH" -timeout=60 -rss_limit_mb=4096 -print_final_stats=1 2>&1 \
        | grep -E "^(stat::|==|INFO: Done|SUMMARY|ERROR|.*panicked|.*deadly signal)" || true
done

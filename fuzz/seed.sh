#!/usr/bin/env bash
# Seeds the fuzz corpora from the test fixtures and examples.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/{json,hcl,yaml,scan}
i=0; for f in $(find testdata examples -name '*.json' -o -name '*.tpl'); do cp "$f" "fuzz/corpus/json/seed$i"; cp "$f" "fuzz/corpus/scan/j$i"; i=$((i+1)); done
i=0; for f in $(find testdata examples -name '*.tf' -o -name '*.tfvars'); do cp "$f" "fuzz/corpus/hcl/seed$i"; cp "$f" "fuzz/corpus/scan/t$i"; i=$((i+1)); done
i=0; for f in $(find testdata examples -name '*.yaml' -o -name '*.yml'); do cp "$f" "fuzz/corpus/yaml/seed$i"; cp "$f" "fuzz/corpus/scan/y$i"; i=$((i+1)); done

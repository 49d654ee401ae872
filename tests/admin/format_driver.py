"""theme/admin/key-value-format.js, run by node, for tests.

One node process answers requests (JSON lines) for the whole test session:
``call("fromFile", text)``, ``call("toFile", object)``, ``call("roundTrip",
text)``, and ``call("asTheEditorSaves", text, fields, changes)``: what Sveltia
CMS 0.221.1 does around the format when an entry is opened and saved, as its
source says (src/lib/services/contents/file/parse.js: the file trimmed, its
line ends made \\n, before fromFile; draft/create/normalize.js: every
configured field the file lacks filled with ""; draft/save/changes.js:
every string value trimmed; draft/save/serialize.js: the configured fields
first, in the configuration's order, then the others sorted, empty optional
ones left out (output.omit_empty_optional_fields); file/format.js: toFile's
result trimmed, then one \\n). `fields` is the collection's list of fields
(web_editor.editor_config), `changes` what the editor typed: {name: value}.
This is a model of the editor, read from its code; the editor itself runs
in tests/admin/test_admin_editing.py.
"""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "theme" / "admin" / "key-value-format.js"

DRIVER = r"""
import { createInterface } from 'node:readline';

const { fromFile, toFile } = await import(process.env.FORMAT_MODULE);
const isEmpty = (value) => value === undefined || value === null || value === '' ||
  (Array.isArray(value) && value.length === 0);

const asTheEditorSaves = (text, fields, changes) => {
  const content = fromFile(text.trim().replace(/\r\n?/g, '\n'));
  for (const field of fields) if (!(field.name in content)) content[field.name] = '';
  Object.assign(content, changes);
  for (const [key, value] of Object.entries(content)) {
    if (typeof value === 'string') content[key] = value.trim();
  }
  const required = new Map(fields.map((field) => [field.name, field.required ?? true]));
  const ordered = {};
  const configured = fields.map((field) => field.name).filter((name) => name in content);
  const others = Object.keys(content).filter((key) => !required.has(key)).sort();
  for (const key of [...configured, ...others]) {
    if (!(required.has(key) && !required.get(key) && isEmpty(content[key]))) ordered[key] = content[key];
  }
  return `${toFile(ordered).trim()}\n`;
};

const operations = {
  fromFile,
  toFile,
  roundTrip: (text) => toFile(fromFile(text)),
  asTheEditorSaves,
};

for await (const line of createInterface({ input: process.stdin })) {
  const { operation, args } = JSON.parse(line);
  let answer;
  try {
    answer = { result: operations[operation](...args) };
  } catch (error) {
    answer = { error: String(error.stack) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
"""


class FormatModule:
    """The module in a node process of its own."""

    def __init__(self):
        self.process = subprocess.Popen(
            ["node", "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON", "--input-type=module", "-e", DRIVER],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
            env={**os.environ, "FORMAT_MODULE": MODULE.as_uri()},
        )

    def call(self, operation, *args):
        self.process.stdin.write(json.dumps({"operation": operation, "args": args}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        assert "error" not in answer, answer.get("error")
        return answer["result"]

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)

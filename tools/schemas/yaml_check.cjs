// Check YAML files the way VS Code's YAML extension (Red Hat) does: the same language server, finding each
// file's schema through the `# yaml-language-server: $schema=...` modeline at its top, YAML 1.2.
// Usage: node tools/schemas/yaml_check.cjs FILE.yml [FILE.yml ...]
// Prints one JSON object per file: {"file", "diagnostics": [{"line" (1-based), "severity", "message"}]}.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { URI } = require("vscode-uri");
const { TextDocument } = require("vscode-languageserver-textdocument");
const { getLanguageService } = require("yaml-language-server");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node yaml_check.cjs FILE.yml [FILE.yml ...]");
  process.exit(2);
}
const service = getLanguageService({
  // Schemas are local files, named relative to the YAML file by its modeline: nothing is fetched.
  schemaRequestService: (uri) => Promise.resolve(fs.readFileSync(URI.parse(uri).fsPath, "utf8")),
  workspaceContext: {
    resolveRelativePath: (relative, resource) =>
      URI.file(path.resolve(path.dirname(URI.parse(resource).fsPath), relative)).toString(),
  },
});
service.configure({ validate: true, hover: true, completion: true, yamlVersion: "1.2", schemas: [] });

(async () => {
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const document = TextDocument.create(URI.file(path.resolve(file)).toString(), "yaml", 1, text);
    const found = await service.doValidation(document, false);
    const diagnostics = found.map((d) => ({ line: d.range.start.line + 1, severity: d.severity, message: d.message }));
    console.log(JSON.stringify({ file, diagnostics }));
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});

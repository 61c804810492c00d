// Validate JSON files against a Teams schema from @microsoft/app-manifest, configured exactly as the
// package's own ManifestUtil.validateManifestAgainstSchema does (ajv-draft-04, allErrors, ajv-formats
// uri/email/regex). The package's entry point cannot be required on its own (it needs fs-extra, which
// it does not declare), so the same validator is built here from its dependencies.
// Usage: node tools/schemas/validate.cjs SCHEMA.json FILE.json [FILE.json ...]; exit 1 on any error.
"use strict";
const fs = require("node:fs");
const Ajv = require("ajv-draft-04");
const addFormats = require("ajv-formats");

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
  console.error("usage: node validate.cjs SCHEMA.json FILE.json [FILE.json ...]");
  process.exit(2);
}
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));

function compile(unicodeRegExp) {
  const ajv = new Ajv({ allErrors: true, strictTypes: false, unicodeRegExp });
  addFormats(ajv, ["uri", "email", "regex"]);
  return ajv.compile(schema);
}

let validate;
try {
  validate = compile(true);
} catch (error) {
  // The localization schemas have a pattern with a lone "]" ("...\b]\.description$"), which is a
  // syntax error under the "u" flag ajv uses by default; they use no \p{...} escapes, so compiling
  // them without "u" loses nothing.
  if (!(error instanceof SyntaxError)) throw error;
  console.error(`note: ${error.message}; compiling without the "u" flag`);
  validate = compile(false);
}
let failed = false;
for (const file of files) {
  if (!validate(JSON.parse(fs.readFileSync(file, "utf8")))) {
    failed = true;
    for (const error of validate.errors) {
      console.error(`${file}: ${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`);
    }
  }
}
process.exit(failed ? 1 : 0);

// Generate build/<group>.ts for every spec in one Node process (openapi-typescript's Node API; one start-up
// instead of one per spec). Usage: node gen-types.mjs SPECS_DIR OUT_DIR
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const [specsDir, outDir] = process.argv.slice(2);
fs.mkdirSync(outDir, { recursive: true });
for (const name of fs.readdirSync(specsDir).filter((f) => f.endsWith(".yaml")).sort()) {
  const ast = await openapiTS(pathToFileURL(path.resolve(specsDir, name)));
  fs.writeFileSync(path.join(outDir, name.replace(/\.yaml$/, ".ts")), astToString(ast));
  console.log(`${name} -> ${path.join(outDir, name.replace(/\.yaml$/, ".ts"))}`);
}

import { createRequire as __perfGateCreateRequire } from 'node:module'; const require = __perfGateCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-I5MUDD6B.js";

// src/project/typescript-loader.ts
import { existsSync, readFileSync } from "node:fs";
import Module, { createRequire, register } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
var TS_EXTENSIONS = [".ts", ".mts", ".cts"];
function isTypeScriptFile(file) {
  return TS_EXTENSIONS.includes(path.extname(file));
}
__name(isTypeScriptFile, "isTypeScriptFile");
function readCompilerOptions(ts, projectDir) {
  const file = path.join(projectDir, "tsconfig.json");
  if (!existsSync(file)) return {};
  const read = ts.readConfigFile(file, (p) => readFileSync(p, "utf8"));
  if (!read.config) return {};
  return ts.parseJsonConfigFileContent(read.config, ts.sys, projectDir).options;
}
__name(readCompilerOptions, "readCompilerOptions");
function transpileOptions(base, ts, format) {
  return {
    ...base,
    module: format === "module" ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: true,
    declaration: false,
    noEmit: false,
    isolatedModules: true
  };
}
__name(transpileOptions, "transpileOptions");
var INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;
function transpileFile(ts, file, options) {
  const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions: options, fileName: file });
  const map = INLINE_MAP.exec(outputText);
  if (!map) return outputText;
  const parsed = JSON.parse(Buffer.from(map[1], "base64").toString("utf8"));
  parsed.sources = [pathToFileURL(file).href];
  delete parsed.sourceRoot;
  const fixed = Buffer.from(JSON.stringify(parsed), "utf8").toString("base64");
  return `${outputText.slice(0, map.index)}//# sourceMappingURL=data:application/json;base64,${fixed}
`;
}
__name(transpileFile, "transpileFile");
function isModulePackage(file) {
  let dir = path.dirname(file);
  for (; ; ) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, "utf8")).type === "module";
      } catch {
        return false;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}
__name(isModulePackage, "isModulePackage");
function findTypeScript(projectDir) {
  const require2 = createRequire(path.join(projectDir, "package.json"));
  let resolved;
  try {
    resolved = require2.resolve("typescript");
  } catch {
    return void 0;
  }
  return { api: require2(resolved), path: resolved };
}
__name(findTypeScript, "findTypeScript");
var installedFor;
var apiInstalled = false;
function apiFiles(hooksFile) {
  const dir = path.dirname(hooksFile);
  return { esm: path.join(dir, "api.js"), cjs: path.join(dir, "api.cjs") };
}
__name(apiFiles, "apiFiles");
function installApiResolution(hooksFile) {
  const { cjs } = apiFiles(hooksFile);
  if (apiInstalled || !existsSync(cjs)) return;
  apiInstalled = true;
  const loader = Module;
  const original = loader._resolveFilename.bind(Module);
  loader._resolveFilename = (request, ...rest) => request === "perf-gate" ? cjs : original(request, ...rest);
}
__name(installApiResolution, "installApiResolution");
function installTypeScriptLoader(projectDir, hooksFile) {
  installApiResolution(hooksFile);
  const found = findTypeScript(projectDir);
  if (!found) {
    return { available: false, description: `no 'typescript' package resolvable from ${projectDir} (npm i -D typescript)` };
  }
  const description = `typescript ${found.api.version} (${path.dirname(path.dirname(found.path))})`;
  if (installedFor !== void 0) return { available: true, description };
  installedFor = projectDir;
  const ts = found.api;
  const base = readCompilerOptions(ts, projectDir);
  const compile = /* @__PURE__ */ __name((module, filename) => {
    module._compile(transpileFile(ts, filename, transpileOptions(base, ts, "commonjs")), filename);
  }, "compile");
  const extensions = Module._extensions;
  for (const extension of TS_EXTENSIONS) extensions[extension] = compile;
  process.setSourceMapsEnabled(true);
  register(pathToFileURL(hooksFile), { data: { typescript: found.path, compilerOptions: base, api: pathToFileURL(apiFiles(hooksFile).esm).href } });
  return { available: true, description };
}
__name(installTypeScriptLoader, "installTypeScriptLoader");

export {
  isTypeScriptFile,
  transpileOptions,
  transpileFile,
  isModulePackage,
  installTypeScriptLoader
};

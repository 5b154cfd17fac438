import { createRequire as __perfGateCreateRequire } from 'node:module'; const require = __perfGateCreateRequire(import.meta.url);
import {
  isModulePackage,
  transpileFile,
  transpileOptions
} from "./chunks/chunk-PRQL3RQO.js";
import {
  __name
} from "./chunks/chunk-I5MUDD6B.js";

// src/ts-hooks.ts
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
var ts;
var compilerOptions = {};
var api;
function initialize(data) {
  ts = createRequire(import.meta.url)(data.typescript);
  compilerOptions = data.compilerOptions;
  api = data.api;
}
__name(initialize, "initialize");
var TS_FOR_JS = { ".js": ".ts", ".mjs": ".mts", ".cjs": ".cts" };
async function resolve(specifier, context, next) {
  if (specifier === "perf-gate" && api) return { url: api, format: "module", shortCircuit: true };
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith("./") || specifier.startsWith("../");
    const extension = /\.[cm]?js$/.exec(specifier)?.[0];
    const parent = context.parentURL ?? "";
    if (!relative || !extension || !/\.[cm]?ts$/.test(parent)) throw error;
    return next(specifier.slice(0, -extension.length) + TS_FOR_JS[extension], context);
  }
}
__name(resolve, "resolve");
async function load(url, context, next) {
  const match = /\.([cm]?)ts$/.exec(url.split("?")[0] ?? "");
  if (!ts || !url.startsWith("file:") || !match) return next(url, context);
  const file = fileURLToPath(url);
  const esm = match[1] === "m" || match[1] === "" && isModulePackage(file);
  if (!esm) return { format: "commonjs", shortCircuit: true };
  return { format: "module", source: transpileFile(ts, file, transpileOptions(compilerOptions, ts, "module")), shortCircuit: true };
}
__name(load, "load");
export {
  initialize,
  load,
  resolve
};

import { createRequire as __perfGateCreateRequire } from 'node:module'; const require = __perfGateCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-I5MUDD6B.js";

// src/api/index.ts
function defineConfig(config) {
  return config;
}
__name(defineConfig, "defineConfig");
function callParts(operationOrCall, options) {
  if (typeof operationOrCall === "function") return { operation: operationOrCall, options };
  const { operation, ...rest } = operationOrCall;
  return { operation, options: { ...options, ...rest } };
}
__name(callParts, "callParts");
function bench(id, operationOrCall, options = {}) {
  const parts = callParts(operationOrCall, options);
  return { ...parts.options, template: "bench", id, operation: parts.operation };
}
__name(bench, "bench");
function sizes(id, operationOrCall, options = {}) {
  const parts = callParts(operationOrCall, options);
  const stored = parts.options;
  return { ...stored, template: "sizes", id, operation: parts.operation };
}
__name(sizes, "sizes");
function concurrency(id, operationOrCall, options = {}) {
  const parts = callParts(operationOrCall, options);
  return { ...parts.options, template: "concurrency", id, operation: parts.operation };
}
__name(concurrency, "concurrency");
function transaction(id, operationOrCall, options = {}) {
  const parts = callParts(operationOrCall, options);
  return { ...parts.options, template: "transaction", id, operation: parts.operation };
}
__name(transaction, "transaction");
function load(id, operation, options = {}) {
  return { ...options, template: "load", id, operation };
}
__name(load, "load");
function sessions(id, operation, options = {}) {
  return { ...options, template: "sessions", id, operation };
}
__name(sessions, "sessions");
function faults(id, operation, options = {}) {
  return { ...options, template: "faults", id, operation };
}
__name(faults, "faults");

export {
  defineConfig,
  bench,
  sizes,
  concurrency,
  transaction,
  load,
  sessions,
  faults
};

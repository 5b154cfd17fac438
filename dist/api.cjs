"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/api/index.ts
var api_exports = {};
__export(api_exports, {
  bench: () => bench,
  concurrency: () => concurrency,
  defineConfig: () => defineConfig,
  faults: () => faults,
  load: () => load,
  sessions: () => sessions,
  sizes: () => sizes,
  transaction: () => transaction
});
module.exports = __toCommonJS(api_exports);
function defineConfig(config) {
  return config;
}
function callParts(operationOrCall, options) {
  if (typeof operationOrCall === "function") return { operation: operationOrCall, options };
  const { operation, ...rest } = operationOrCall;
  return { operation, options: { ...options, ...rest } };
}
function bench(id, operationOrCall, options = {}) {
  const parts = callParts(operationOrCall, options);
  return { ...parts.options, template: "bench", id, operation: parts.operation };
}
function sizes(id, operationOrCall, options = {}) {
  const parts = callParts(operationOrCall, options);
  const stored = parts.options;
  return { ...stored, template: "sizes", id, operation: parts.operation };
}
function concurrency(id, operationOrCall, options = {}) {
  const parts = callParts(operationOrCall, options);
  return { ...parts.options, template: "concurrency", id, operation: parts.operation };
}
function transaction(id, operationOrCall, options = {}) {
  const parts = callParts(operationOrCall, options);
  return { ...parts.options, template: "transaction", id, operation: parts.operation };
}
function load(id, operation, options = {}) {
  return { ...options, template: "load", id, operation };
}
function sessions(id, operation, options = {}) {
  return { ...options, template: "sessions", id, operation };
}
function faults(id, operation, options = {}) {
  return { ...options, template: "faults", id, operation };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  bench,
  concurrency,
  defineConfig,
  faults,
  load,
  sessions,
  sizes,
  transaction
});

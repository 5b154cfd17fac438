import { createRequire as __perfGateCreateRequire } from 'node:module'; const require = __perfGateCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-I5MUDD6B.js";

// src/api/index.ts
function defineConfig(config) {
  return config;
}
__name(defineConfig, "defineConfig");
function bench(id, operation, options = {}) {
  return { ...options, template: "bench", id, operation };
}
__name(bench, "bench");
function sizes(id, operation, options = {}) {
  return { ...options, template: "sizes", id, operation };
}
__name(sizes, "sizes");
function concurrency(id, operation, options = {}) {
  return { ...options, template: "concurrency", id, operation };
}
__name(concurrency, "concurrency");
function transaction(id, operation, options = {}) {
  return { ...options, template: "transaction", id, operation };
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

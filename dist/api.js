import { createRequire as __perfGateCreateRequire } from 'node:module'; const require = __perfGateCreateRequire(import.meta.url);
import {
  bench,
  concurrency,
  defineConfig,
  faults,
  load,
  sessions,
  sizes,
  transaction
} from "./chunks/chunk-LJWXVPSN.js";
import "./chunks/chunk-I5MUDD6B.js";
export {
  bench,
  concurrency,
  defineConfig,
  faults,
  load,
  sessions,
  sizes,
  transaction
};

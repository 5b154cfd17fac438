/**
 * The files a gate run leaves for later steps and for the fork workflow's second stage: the results
 * document, comparison.json next to it, and the context sidecar. Reading them back validates all
 * three, since in the fork workflow they come from an artifact anyone could have written.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import { COMPARISON_SCHEMA, formatComparisonJson, type ComparisonDocument } from '../report/comparison-schema.js';
import { MAX_RESULTS_BYTES, parseJsonText, readResults, writeResults } from '../results/results-io.js';
import { toSchemaError } from '../results/schema-error.js';
import type { ResultsDocument } from '../results/types.js';
import type { Comparison } from '../verdict/types.js';
import { RUN_CONTEXT_FILE, validateRunContext, type RunContextDocument } from './run-context-file.js';

export interface ReportPaths {
  resultsPath: string;
  comparisonPath: string;
}

export interface ReportFiles {
  results: ResultsDocument;
  comparison: ComparisonDocument;
  context: RunContextDocument;
}

const validateComparison = new Ajv({ allowUnionTypes: true }).compile<ComparisonDocument>(COMPARISON_SCHEMA);

function contextPathOf(paths: ReportPaths): string {
  return path.join(path.dirname(paths.resultsPath), RUN_CONTEXT_FILE);
}

/** Writes the three files (the folder is created when missing). */
export async function writeReportFiles(paths: ReportPaths, files: { results: ResultsDocument; comparison: Comparison; context: RunContextDocument }): Promise<void> {
  await writeResults(paths.resultsPath, files.results);
  await mkdir(path.dirname(paths.comparisonPath), { recursive: true });
  await writeFile(paths.comparisonPath, formatComparisonJson(files.comparison));
  await writeFile(contextPathOf(paths), `${JSON.stringify(files.context, null, 2)}\n`);
}

/** Reads and validates the three files; an error names the file and what is wrong with it. */
export async function readReportFiles(paths: ReportPaths): Promise<ReportFiles> {
  const results = await readResults(paths.resultsPath);
  const comparison = await readJsonFile(paths.comparisonPath, (doc, source) => {
    if (validateComparison(doc)) return doc;
    const first = validateComparison.errors?.[0];
    throw first ? toSchemaError(source, first, doc) : new Error(`${source}: is not a valid comparison document`);
  });
  const context = await readJsonFile(contextPathOf(paths), validateRunContext);
  return { results, comparison, context };
}

async function readJsonFile<T>(file: string, validate: (doc: unknown, source: string) => T): Promise<T> {
  const { size } = await stat(file);
  if (size > MAX_RESULTS_BYTES) throw new Error(`${file}: is ${size} bytes, expected at most ${MAX_RESULTS_BYTES}`);
  return validate(parseJsonText(await readFile(file, 'utf8'), file), file);
}

/**
 * The files a gate run leaves for later steps and for the fork workflow's second stage: the results
 * document, comparison.json next to it, and the context sidecar. They are written inside the
 * workspace without following symlinks. Reading them back validates all three, since in the fork
 * workflow they come from an artifact anyone could have written: each is capped in size before it
 * is parsed (DOCUMENT_LIMITS), refused when it or a folder on its way is a symlink, and checked for
 * forbidden keys and against its schema.
 */
import path from 'node:path';
import { Ajv } from 'ajv';
import { COMPARISON_SCHEMA, formatComparisonJson, type ComparisonDocument } from '../report/comparison-schema.js';
import { formatResultsJson, validateResults } from '../results/results-io.js';
import { toSchemaError } from '../results/schema-error.js';
import type { ResultsDocument } from '../results/types.js';
import { readJsonFile, type DocumentKind } from '../results/untrusted-json.js';
import type { Comparison } from '../verdict/types.js';
import { checkFolderChain, writeFileNoFollow } from './no-follow-files.js';
import { RUN_CONTEXT_FILE, validateRunContext, type RunContextDocument } from './run-context-file.js';

export interface ReportPaths {
  /** The workspace the files stay inside (the action's inputs checked results-path against it). */
  workspace: string;
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

/** Writes the three files (the folders are created when missing); refuses any symlink on the way. */
export async function writeReportFiles(paths: ReportPaths, files: { results: ResultsDocument; comparison: Comparison; context: RunContextDocument }): Promise<void> {
  validateResults(files.results, paths.resultsPath);
  await writeFileNoFollow(paths.workspace, paths.resultsPath, formatResultsJson(files.results));
  await writeFileNoFollow(paths.workspace, paths.comparisonPath, formatComparisonJson(files.comparison));
  await writeFileNoFollow(paths.workspace, contextPathOf(paths), `${JSON.stringify(files.context, null, 2)}\n`);
}

/** Reads and validates the three files; an error names the file and what is wrong with it. */
export async function readReportFiles(paths: ReportPaths): Promise<ReportFiles> {
  const results = await readReportFile(paths, paths.resultsPath, 'results', validateResults);
  const comparison = await readReportFile(paths, paths.comparisonPath, 'comparison', (doc, source) => {
    if (validateComparison(doc)) return doc;
    const first = validateComparison.errors?.[0];
    throw first ? toSchemaError(source, first, doc) : new Error(`${source}: is not a valid comparison document`);
  });
  const context = await readReportFile(paths, contextPathOf(paths), 'context', validateRunContext);
  return { results, comparison, context };
}

async function readReportFile<T>(paths: ReportPaths, file: string, kind: DocumentKind, validate: (doc: unknown, source: string) => T): Promise<T> {
  await checkFolderChain(paths.workspace, path.dirname(file), 'reads');
  return validate(await readJsonFile(file, kind, { noFollow: true }), file);
}

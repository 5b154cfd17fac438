/** An ActionIo that records what the action would log, output and summarize, for in-process tests. */
import type { ActionIo, ActionOutputName } from '../../../src/action/action-io.js';

export interface RecordingIo extends ActionIo {
  infos: string[];
  warnings: string[];
  outputs: Partial<Record<ActionOutputName, string>>;
  summaries: string[];
}

export function createRecordingIo(): RecordingIo {
  const io: RecordingIo = {
    infos: [],
    warnings: [],
    outputs: {},
    summaries: [],
    info: (line) => void io.infos.push(line),
    warning: (line) => void io.warnings.push(line),
    debug: () => undefined,
    group: (_title, work) => work(),
    setOutput: (name, value) => void (io.outputs[name] = String(value)),
    writeSummary: async (markdown) => void io.summaries.push(markdown),
    redact: (text) => text,
  };
  return io;
}

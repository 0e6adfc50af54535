import { readFile } from 'node:fs/promises';
import { parsePipeline, ParseResult } from './parse-pipeline.js';
import type { StageRegistry } from './stage-registry.js';

/** Reads and validates a pipeline file. A file that cannot be read is one problem at line 1. */
export async function loadPipelineFile(path: string, registry: StageRegistry): Promise<ParseResult> {
  let text: string;

  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read the file: ${(error as Error).message}`;

    return { ok: false, problems: [{ file: path, line: 1, column: 1, path: '', message: reason }] };
  }

  return parsePipeline(text, path, registry);
}

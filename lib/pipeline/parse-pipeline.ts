import { dirname, basename, extname, resolve } from 'node:path';
import * as t from 'io-ts';
import type { ValidationIssue } from '../events/index.js';
import { checkSourceSettings, CsvSourceSettings, SourceSettings, SyntheticSourceSettings, WebSocketSourceSettings } from '../sources/index.js';
import { checkStageChain } from './check-stage-chain.js';
import { findUnknownKeys } from './codec-keys.js';
import { decodeWithSourceText } from './decode-with-source-text.js';
import { nearestKey } from '../nearest-key.js';
import { PipelineDocument, PipelineDocumentSections } from './pipeline-document.js';
import type { PipelineProblem } from './pipeline-problem.js';
import { sortProblems } from './pipeline-problem.js';
import type { InstrumentSpec, PipelineSpec, StageSpec } from './pipeline-spec.js';
import type { StageRegistry } from './stage-registry.js';
import { readYamlTree, YamlTree } from './yaml/yaml-tree.js';

export type ParseResult = { readonly ok: true; readonly spec: PipelineSpec } | { readonly ok: false; readonly problems: PipelineProblem[] };

/** Keys of a stage entry that belong to the pipeline, not to the stage kind's settings. */
const RESERVED_STAGE_KEYS = ['use', 'name'];

const SOURCE_CODECS: Readonly<Record<string, t.Decoder<unknown, SourceSettings>>> = {
  csv: CsvSourceSettings,
  websocket: WebSocketSourceSettings,
  synthetic: SyntheticSourceSettings,
};

/**
 * Parses and validates a pipeline file's text. Every problem is collected, each with its file,
 * line, column and path; nothing stops at the first one. `file` names the text in problems and
 * sets the folder that relative source paths are resolved against.
 */
export function parsePipeline(text: string, file: string, registry: StageRegistry): ParseResult {
  const at = (line: number, column: number, path: string, message: string, extra: { expected?: string; received?: string } = {}): PipelineProblem => ({ file, line, column, path, message, ...extra });

  if (text.trim() === '') {
    return { ok: false, problems: [at(1, 1, '', 'the pipeline file is empty; it needs instruments, source and stages')] };
  }

  const tree = readYamlTree(text);
  const problems: PipelineProblem[] = tree.problems.map((problem) => ({ file, ...problem }));

  if (tree.value === undefined) {
    return { ok: false, problems: sortProblems(problems) };
  }

  if (typeof tree.value !== 'object' || tree.value === null || Array.isArray(tree.value)) {
    const received = tree.value === null ? 'nothing (only comments)' : Array.isArray(tree.value) ? 'a sequence' : `a scalar ${JSON.stringify(tree.value)}`;
    problems.push(at(1, 1, '', 'the top level of a pipeline file must be a mapping of instruments, source and stages', { expected: 'mapping', received }));
    return { ok: false, problems: sortProblems(problems) };
  }

  const spec = new SpecReader(tree, file, registry, problems).read(tree.value as Record<string, unknown>);

  return problems.length === 0 && spec !== undefined ? { ok: true, spec } : { ok: false, problems: sortProblems(problems) };
}

/** Reads the sections of a pipeline document, adding a problem for everything wrong. */
class SpecReader {
  constructor(
    private readonly tree: YamlTree,
    private readonly file: string,
    private readonly registry: StageRegistry,
    private readonly problems: PipelineProblem[],
  ) {}

  read(document: Record<string, unknown>): PipelineSpec | undefined {
    this.reportUnknownKeys(PipelineDocument, document, '');

    // Each section is decoded on its own, so a broken section still lets the others be checked.
    const entries = this.section(document, 'instruments', PipelineDocumentSections.instruments);
    const sourceInput = this.section(document, 'source', PipelineDocumentSections.source);
    const stageInputs = this.section(document, 'stages', PipelineDocumentSections.stages);
    const optional = this.decode(PipelineDocumentSections.optional, pick(document, ['id', 'description', 'outputs']), '');
    const instruments = entries === undefined ? [] : this.readInstruments(entries);
    const baseDir = dirname(resolve(this.file));
    const source = sourceInput === undefined ? undefined : this.readSource(sourceInput, instruments, baseDir);
    const stages = stageInputs === undefined ? undefined : this.readStages(stageInputs);

    if (source !== undefined && stages !== undefined) {
      this.checkChain(source, stages);
    }

    if (source === undefined || stages === undefined || optional === undefined || this.problems.length > 0) {
      return undefined;
    }

    return {
      id: optional.id ?? basename(this.file, extname(this.file)),
      file: this.file,
      baseDir,
      ...(optional.description === undefined ? {} : { description: optional.description }),
      instruments,
      source,
      stages,
      outputs: { bus: optional.outputs?.bus ?? true, log: optional.outputs?.log ?? true },
    };
  }

  private section<A>(document: Record<string, unknown>, key: string, codec: t.Decoder<unknown, A>): A | undefined {
    if (!(key in document)) {
      this.add(key, 'required section is missing', { expected: key, received: 'undefined' });
      return undefined;
    }

    return this.decode(codec, document[key], key);
  }

  private readInstruments(entries: t.TypeOf<typeof PipelineDocumentSections.instruments>): InstrumentSpec[] {
    const instruments = entries.map((entry) => (typeof entry === 'string' ? { id: entry, allowNegativePrices: false } : { id: entry.id, allowNegativePrices: entry.allowNegativePrices ?? false }));
    const seen = new Set<string>();

    if (instruments.length === 0) {
      this.add('instruments', 'list at least one instrument', { expected: 'a non-empty list', received: '[]' });
    }

    instruments.forEach((instrument, index) => {
      if (seen.has(instrument.id)) {
        this.add(`instruments[${index}]`, `instrument "${instrument.id}" is listed twice`);
      }

      seen.add(instrument.id);
    });

    return instruments;
  }

  private readSource(source: Record<string, unknown>, instruments: readonly InstrumentSpec[], baseDir: string): SourceSettings | undefined {
    const type = source.type;
    const codec = typeof type === 'string' ? SOURCE_CODECS[type] : undefined;

    if (codec === undefined) {
      const known = Object.keys(SOURCE_CODECS);
      const hint = typeof type === 'string' ? nearestKey(type, known) : undefined;
      this.add('source.type', `unknown source type${hint === undefined ? '' : `; did you mean "${hint}"?`}`, { expected: known.join(' | '), received: JSON.stringify(type) ?? 'undefined' });
      return undefined;
    }

    this.reportUnknownKeys(codec, source, 'source');
    const settings = this.decode(codec, source, 'source');

    if (settings === undefined) {
      return undefined;
    }

    for (const problem of checkSourceSettings(settings, instruments, baseDir)) {
      this.add(problem.path === '' ? 'source' : `source.${problem.path}`, problem.message, { expected: problem.expected, received: problem.received });
    }

    return settings;
  }

  private readStages(entries: readonly Record<string, unknown>[]): StageSpec[] | undefined {
    const stages: StageSpec[] = [];
    const names = new Map<string, number>();
    let complete = true;

    entries.forEach((entry, index) => {
      const stage = this.readStage(entry, index, names);

      if (stage === undefined) {
        complete = false;
      } else {
        stages.push(stage);
      }
    });

    return complete ? stages : undefined;
  }

  private readStage(entry: Record<string, unknown>, index: number, names: Map<string, number>): StageSpec | undefined {
    const path = `stages[${index}]`;
    const kind = this.readStageKind(entry.use, `${path}.use`, path);
    const name = this.readStageName(entry.name, kind, index, names);

    if (kind === undefined) {
      return undefined;
    }

    const stageKind = this.registry.get(kind);
    const settingsInput = Object.fromEntries(Object.entries(entry).filter(([key]) => !RESERVED_STAGE_KEYS.includes(key)));

    if (stageKind === undefined) {
      return undefined;
    }

    for (const unknown of findUnknownKeys(stageKind.settings, settingsInput, path)) {
      this.addUnknownKey(unknown.path, unknown.key, [...RESERVED_STAGE_KEYS, ...unknown.known], unknown.suggestion ?? nearestKey(unknown.key, RESERVED_STAGE_KEYS));
    }

    const settings = this.decodeOutcome(stageKind.settings, settingsInput, path);

    return settings.ok && name !== undefined ? { kind, name, index, settings: settings.value, line: this.tree.positionOf(`${path}.use`).line } : undefined;
  }

  private readStageKind(use: unknown, path: string, stagePath: string): string | undefined {
    const known = this.registry.names();

    if (typeof use !== 'string' || use.trim() === '') {
      this.add(use === undefined ? stagePath : path, use === undefined ? 'stage has no `use:` naming its kind' : 'the stage kind must be a name', { expected: known.join(' | ') || 'a registered stage kind', received: use === undefined ? 'undefined' : JSON.stringify(use) });
      return undefined;
    }

    if (this.registry.get(use) === undefined) {
      const hint = nearestKey(use, known);
      this.add(path, `unknown stage kind "${use}"${hint === undefined ? '' : `; did you mean "${hint}"?`}`, { expected: known.join(' | ') || 'a registered stage kind', received: JSON.stringify(use) });
      return undefined;
    }

    return use;
  }

  private readStageName(name: unknown, kind: string | undefined, index: number, names: Map<string, number>): string | undefined {
    const path = `stages[${index}].name`;

    if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) {
      this.add(path, 'the stage name must be a non-empty string', { expected: 'string', received: JSON.stringify(name) });
      return undefined;
    }

    const base = (name as string | undefined) ?? kind ?? `stage${index}`;
    const earlier = names.get(base);

    if (earlier !== undefined && name !== undefined) {
      this.add(path, `stage name "${base}" is already used by stages[${earlier}]; names must be unique`);
      return undefined;
    }

    // An unnamed kind that repeats gets a number, so metrics and logs tell the stages apart.
    const unique = earlier === undefined ? base : `${base}-${index}`;
    names.set(unique, index);
    return unique;
  }

  private checkChain(source: SourceSettings, stages: readonly StageSpec[]): void {
    for (const problem of checkStageChain(source, stages, this.registry)) {
      this.add(problem.path, problem.message, { expected: problem.expected, received: problem.received });
    }
  }

  private decode<A>(codec: t.Decoder<unknown, A>, value: unknown, base: string): A | undefined {
    const outcome = this.decodeOutcome(codec, value, base);

    return outcome.ok ? outcome.value : undefined;
  }

  private decodeOutcome<A>(codec: t.Decoder<unknown, A>, value: unknown, base: string): { ok: true; value: A } | { ok: false } {
    const outcome = decodeWithSourceText(codec, value, (path) => this.tree.plainTextOf(join(base, path)));

    if (outcome.ok) {
      return outcome;
    }

    for (const issue of outcome.issues) {
      this.addIssue(base, issue);
    }

    return { ok: false };
  }

  private reportUnknownKeys(codec: t.Decoder<unknown, unknown>, value: unknown, base: string): void {
    for (const unknown of findUnknownKeys(codec, value, base)) {
      this.addUnknownKey(unknown.path, unknown.key, unknown.known, unknown.suggestion);
    }
  }

  private addUnknownKey(path: string, key: string, known: readonly string[], suggestion: string | undefined): void {
    const position = this.tree.keyPositionOf(path);
    const hint = suggestion === undefined ? `; known keys are ${known.join(', ')}` : `; did you mean "${suggestion}"?`;

    this.problems.push({ file: this.file, ...position, path, message: `unknown key "${key}"${hint}`, expected: `one of ${known.join(', ')}`, received: JSON.stringify(key) });
  }

  private addIssue(base: string, issue: ValidationIssue): void {
    const path = join(base, issue.path);
    const missing = issue.received === 'undefined';
    const message = missing ? 'required setting is missing' : 'invalid value';

    this.add(path, message, { expected: issue.expected, received: issue.received });
  }

  private add(path: string, message: string, extra: { expected?: string; received?: string } = {}): void {
    const position = this.tree.positionOf(path);
    const problem: PipelineProblem = { file: this.file, ...position, path, message };

    this.problems.push({ ...problem, ...(extra.expected === undefined ? {} : { expected: extra.expected }), ...(extra.received === undefined ? {} : { received: extra.received }) });
  }
}

function pick(document: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document).filter(([key]) => keys.includes(key)));
}

function join(base: string, path: string): string {
  if (path === '') {
    return base;
  }

  return base === '' || path.startsWith('[') ? `${base}${path}` : `${base}.${path}`;
}

import * as t from 'io-ts';
import { findFlowDepthExcess } from '../yaml/flow-depth.js';
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { objectFields } from './codec-shape.js';
import type { ConfigLayer } from './config-layer.js';
import type { ConfigProblem } from './config-problem.js';
import { unknownKeyMessage } from './nearest-key.js';

/** Nodes visited per file before reading stops, which bounds alias expansion ("billion laughs"). */
const MAX_NODES = 10_000;

/** Alias expansions allowed inside one leaf value, such as a list of keys. */
const MAX_ALIAS_COUNT = 100;

export interface YamlLayerResult {
  readonly layer: ConfigLayer;
  readonly problems: ConfigProblem[];
}

/** Flow nesting allowed in a configuration file, far above what the settings need. */
const MAX_FLOW_DEPTH = 32;

/**
 * Reads a YAML configuration file into a layer, checking its keys against the codec: unknown
 * keys are problems that suggest the nearest valid key, and every value keeps its `file:line:col`.
 * A scalar such as `0123` is read from its source text where the codec expects a string,
 * because the YAML core schema would turn it into the number 123.
 */
export function readYamlLayer(file: string, text: string, codec: t.Mixed): YamlLayerResult {
  const tooDeep = findFlowDepthExcess(text, MAX_FLOW_DEPTH);

  if (tooDeep !== undefined) {
    const before = text.slice(0, tooDeep.offset);
    const source = `${file}:${before.split('\n').length}:${tooDeep.offset - before.lastIndexOf('\n')}`;
    const message = `flow collections ([...] or {...}) nest deeper than ${MAX_FLOW_DEPTH} levels; flatten the file`;

    return { layer: { name: file, values: {}, origins: new Map() }, problems: [{ source, path: '', message }] };
  }

  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const reader = new YamlReader(file, document, lineCounter);

  for (const error of [...document.errors, ...document.warnings]) {
    const position = error.linePos?.[0];
    const source = position === undefined ? file : `${file}:${position.line}:${position.col}`;
    reader.problems.push({ source, path: '', message: firstLine(error.message) });
  }

  if (document.errors.length > 0) {
    return { layer: reader.layer(), problems: reader.problems };
  }

  const root = document.contents;

  if (root === null || (isScalar(root) && root.value === null)) {
    return { layer: reader.layer(), problems: reader.problems };
  }

  if (!isMap(root)) {
    reader.problems.push({ source: `${file}:1:1`, path: '', message: 'expected a mapping of settings at the top level' });
    return { layer: reader.layer(), problems: reader.problems };
  }

  reader.readMap(root, codec, '', reader.values);

  return { layer: reader.layer(), problems: reader.problems };
}

class YamlReader {
  readonly problems: ConfigProblem[] = [];
  readonly values: Record<string, unknown> = {};
  private readonly origins = new Map<string, string>();
  private visited = 0;

  constructor(
    private readonly file: string,
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  layer(): ConfigLayer {
    return { name: this.file, values: this.values, origins: this.origins };
  }

  readMap(node: Node, codec: t.Mixed, path: string, target: Record<string, unknown>): void {
    const fields = objectFields(codec) ?? {};
    const map = this.resolve(node);

    if (!isMap(map)) {
      return;
    }

    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const childPath = path === '' ? key : `${path}.${key}`;

      if (!Object.hasOwn(fields, key)) {
        this.problems.push({ source: this.where(keyNode), path: childPath, message: unknownKeyMessage(key, Object.keys(fields)) });
        continue;
      }

      const value = this.readValue(pair.value as Node | null, fields[key], childPath);

      if (value !== SKIP) {
        target[key] = value;
      }
    }
  }

  private readValue(node: Node | null, codec: t.Mixed, path: string): unknown {
    const resolved = this.resolve(node);

    if (resolved === SKIP) {
      return SKIP;
    }

    this.origins.set(path, this.where(resolved ?? node));

    if (objectFields(codec) !== undefined && (resolved === null || (isScalar(resolved) && resolved.value === null))) {
      // An empty section (`server:` with nothing below it) sets nothing rather than erasing the defaults.
      return SKIP;
    }

    if (objectFields(codec) !== undefined && isMap(resolved)) {
      const section: Record<string, unknown> = {};
      this.readMap(resolved, codec, path, section);
      return section;
    }

    if (codec instanceof t.ArrayType && isSeq(resolved)) {
      return resolved.items.map((item, index) => this.readValue(item as Node | null, codec.type as t.Mixed, `${path}[${index}]`));
    }

    return this.leafValue(resolved, codec, path);
  }

  private leafValue(node: Node | null, codec: t.Mixed, path: string): unknown {
    if (node === null) {
      return null;
    }

    let value: unknown;

    try {
      value = node.toJS(this.document, { maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // The yaml package raises a ReferenceError when aliases expand past the count.
      this.problems.push({ source: this.where(node), path, message: `cannot read value: ${(error as Error).message}` });
      return SKIP;
    }

    if (isScalar(node) && typeof value !== 'string' && typeof node.source === 'string' && !codec.is(value) && codec.is(node.source)) {
      return node.source;
    }

    return value;
  }

  private resolve(node: Node | null): Node | null | typeof SKIP {
    this.visited += 1;

    if (this.visited === MAX_NODES) {
      this.problems.push({ source: this.where(node), path: '', message: `more than ${MAX_NODES} nodes; check for nested aliases` });
    }

    if (this.visited >= MAX_NODES) {
      return SKIP;
    }

    return isAlias(node) ? (node.resolve(this.document) ?? null) : node;
  }

  private where(node: Node | null | typeof SKIP): string {
    const offset = node !== null && node !== SKIP && node.range ? node.range[0] : undefined;

    if (offset === undefined) {
      return this.file;
    }

    const position = this.lineCounter.linePos(offset);

    return `${this.file}:${position.line}:${position.col}`;
  }
}

const SKIP = Symbol('skip');

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}


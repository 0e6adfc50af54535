import { findFlowDepthExcess } from '../../yaml/flow-depth.js';
import { Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, Node, parseDocument, Scalar } from 'yaml';

/** A 1-based line and column in the source text. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A problem found while reading the YAML itself, before any codec runs. */
export interface YamlProblem extends SourcePosition {
  readonly path: string;
  readonly message: string;
  readonly expected?: string;
  readonly received?: string;
}

/**
 * Nodes that alias expansion may create in one document. A pipeline file needs a few hundred
 * nodes at most, so this stops "billion laughs" files (nested aliases that expand
 * exponentially) after a few milliseconds of work.
 */
export const MAX_ALIAS_NODES = 2_000;

/** The plain value of a YAML document, with the position and source text of every node kept by path. */
export interface YamlTree {
  /** The document as plain data; `undefined` when the document could not be read. */
  readonly value: unknown;
  readonly problems: readonly YamlProblem[];
  /** Position of the value at a path, or of its nearest ancestor that exists. */
  positionOf(path: string): SourcePosition;
  /** Position of the key of a mapping entry, or of its value when there is no key. */
  keyPositionOf(path: string): SourcePosition;
  /** The source text of a plain (unquoted) scalar that YAML resolved to something other than a string. */
  plainTextOf(path: string): string | undefined;
}

const DOCUMENT_START: SourcePosition = { line: 1, column: 1 };

/** Nesting depth allowed in a pipeline file; a self-referencing alias would otherwise recurse without end. */
export const MAX_DEPTH = 64;

class TreeLimitExceeded extends Error {
  constructor(
    readonly position: SourcePosition,
    readonly path: string,
    readonly expected: string,
  ) {
    super(`YAML ${expected} exceeded`);
  }
}

/** Parses YAML text into a plain value, keeping positions, reporting duplicate keys with both lines, and bounding alias expansion. */
export function readYamlTree(text: string): YamlTree {
  const tooDeep = findFlowDepthExcess(text, MAX_DEPTH);

  if (tooDeep !== undefined) {
    return tooDeepTree(text, tooDeep.offset);
  }

  const lineCounter = new LineCounter();
  // uniqueKeys off: the builder reports duplicates itself, naming both lines, and keeps reading.
  const document = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const builder = new TreeBuilder(document, lineCounter);
  const problems: YamlProblem[] = document.errors.map((error) => ({
    ...positionAt(lineCounter, error.pos[0]),
    path: '',
    message: `invalid YAML: ${firstLine(error.message)}`,
  }));

  let value: unknown;

  try {
    value = document.contents === null ? null : builder.build(document.contents, '', null);
  } catch (error) {
    if (!(error instanceof TreeLimitExceeded)) {
      throw error;
    }

    value = undefined;
    problems.push({
      ...error.position,
      path: error.path,
      message: 'the document is too large or too deep after alias expansion; expand fewer aliases',
      expected: error.expected,
      received: 'more',
    });
  }

  problems.push(...builder.problems);

  return {
    value,
    problems,
    positionOf: (path) => builder.lookup(builder.valuePositions, path),
    keyPositionOf: (path) => builder.keyPositions.get(path) ?? builder.lookup(builder.valuePositions, path),
    plainTextOf: (path) => builder.plainTexts.get(path),
  };
}

class TreeBuilder {
  readonly valuePositions = new Map<string, SourcePosition>();
  readonly keyPositions = new Map<string, SourcePosition>();
  readonly plainTexts = new Map<string, string>();
  readonly problems: YamlProblem[] = [];
  private aliasNodes = 0;
  private readonly aliasTargets = new Map<Node, unknown>();

  constructor(
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** Builds the plain value of a node. `aliasPosition` is set inside an alias expansion, where every node is reported at the alias. */
  build(node: unknown, path: string, aliasPosition: SourcePosition | null, depth = 0): unknown {
    const position = aliasPosition ?? this.positionOfNode(node);

    if (depth > MAX_DEPTH) {
      throw new TreeLimitExceeded(position, path, `at most ${MAX_DEPTH} levels of nesting`);
    }

    this.countNode(position, path, aliasPosition);
    this.valuePositions.set(path, position);

    if (isAlias(node)) {
      return this.buildAlias(node, path, position, depth);
    }

    if (isScalar(node)) {
      return this.buildScalar(node, path);
    }

    if (isSeq(node)) {
      return node.items.map((item, index) => this.build(item, `${path}[${index}]`, aliasPosition, depth + 1));
    }

    if (isMap(node)) {
      return this.buildMap(node.items, path, aliasPosition, depth);
    }

    return null;
  }

  lookup(positions: Map<string, SourcePosition>, path: string): SourcePosition {
    let current = path;

    for (;;) {
      const found = positions.get(current);

      if (found !== undefined) {
        return found;
      }

      if (current === '') {
        return DOCUMENT_START;
      }

      current = parentPath(current);
    }
  }

  private countNode(position: SourcePosition, path: string, aliasPosition: SourcePosition | null): void {
    if (aliasPosition === null) {
      return;
    }

    this.aliasNodes++;

    if (this.aliasNodes > MAX_ALIAS_NODES) {
      throw new TreeLimitExceeded(position, path, `at most ${MAX_ALIAS_NODES} nodes from aliases`);
    }
  }

  private buildAlias(node: Node & { resolve(doc: Document): unknown; source: string }, path: string, position: SourcePosition, depth: number): unknown {
    // Alias.resolve walks the whole document, so each alias is resolved once and remembered.
    let target = this.aliasTargets.get(node);

    if (!this.aliasTargets.has(node)) {
      target = node.resolve(this.document);
      this.aliasTargets.set(node, target);
    }

    if (target === undefined) {
      this.problems.push({ ...position, path, message: `alias *${node.source} refers to no anchor` });
      return null;
    }

    return this.build(target, path, position, depth + 1);
  }

  private buildScalar(node: Scalar, path: string): unknown {
    const value = node.value;

    if (node.type === 'PLAIN' && typeof value !== 'string' && value !== null && typeof node.source === 'string') {
      this.plainTexts.set(path, node.source);
    }

    return value;
  }

  private buildMap(pairs: readonly unknown[], path: string, aliasPosition: SourcePosition | null, depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const firstLines = new Map<string, number>();

    for (const pair of pairs) {
      if (!isPair(pair)) {
        continue;
      }

      const keyPosition = aliasPosition ?? this.positionOfNode(pair.key);
      const key = this.keyText(pair.key, path, keyPosition);

      if (key === null) {
        continue;
      }

      const childPath = path === '' ? key : `${path}.${key}`;
      const firstLine = firstLines.get(key);

      if (firstLine !== undefined) {
        this.problems.push({
          ...keyPosition,
          path: childPath,
          message: `duplicate key "${key}": first defined on line ${firstLine}, again on line ${keyPosition.line}; keep one`,
        });
        continue;
      }

      firstLines.set(key, keyPosition.line);
      this.keyPositions.set(childPath, keyPosition);
      // defineProperty, not assignment: a `__proto__` key must become an ordinary key that the
      // unknown-key check reports, not replace the object's prototype.
      Object.defineProperty(result, key, {
        value: pair.value === null ? null : this.build(pair.value, childPath, aliasPosition, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }

    return result;
  }

  private keyText(key: unknown, path: string, position: SourcePosition): string | null {
    if (isScalar(key) && key.value !== null) {
      return typeof key.source === 'string' && key.type === 'PLAIN' ? key.source : String(key.value);
    }

    this.problems.push({
      ...position,
      path,
      message: 'mapping keys must be plain strings',
      expected: 'string key',
      received: key === null || (isScalar(key) && key.value === null) ? 'empty key' : 'a collection',
    });
    return null;
  }

  private positionOfNode(node: unknown): SourcePosition {
    const range = (node as { range?: [number, number, number] | null } | null)?.range;

    return range ? positionAt(this.lineCounter, range[0]) : DOCUMENT_START;
  }
}

function positionAt(lineCounter: LineCounter, offset: number): SourcePosition {
  const { line, col } = lineCounter.linePos(offset);

  return { line, column: col };
}

/** Returns the path of the parent: `a.b[2]` for `a.b[2].c`, `a.b` for `a.b[2]`. */
export function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));

  return cut <= 0 ? '' : path.slice(0, cut);
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

/** The tree of a file rejected before parsing because its flow collections nest too deep. */
function tooDeepTree(text: string, offset: number): YamlTree {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const position: SourcePosition = { line, column };

  return {
    value: undefined,
    problems: [{ ...position, path: '', message: `flow collections ([...] or {...}) nest deeper than ${MAX_DEPTH} levels; flatten the file` }],
    positionOf: () => position,
    keyPositionOf: () => position,
    plainTextOf: () => undefined,
  };
}

/** Position of the first flow bracket (`[` or `{`) that opens one level deeper than allowed. */
export interface FlowDepthExcess {
  readonly offset: number;
  readonly depth: number;
}

/**
 * Scans YAML text for flow collections nested deeper than `limit`, skipping quoted strings and
 * comments. The `yaml` parser recurses once per level, so a few thousand brackets exhaust the
 * stack before any depth limit of the tree builder can act; this check runs first.
 */
export function findFlowDepthExcess(text: string, limit: number): FlowDepthExcess | undefined {
  let depth = 0;
  let quote: '"' | "'" | null = null;

  for (let offset = 0; offset < text.length; offset++) {
    const char = text[offset];

    if (quote !== null) {
      if (char === '\\' && quote === '"') {
        offset++;
      } else if (char === quote) {
        quote = null;
      }

      continue;
    }

    if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '#' && (offset === 0 || /\s/.test(text[offset - 1]))) {
      offset = skipToLineEnd(text, offset);
    } else if (char === '[' || char === '{') {
      depth++;

      if (depth > limit) {
        return { offset, depth };
      }
    } else if ((char === ']' || char === '}') && depth > 0) {
      depth--;
    }
  }

  return undefined;
}

function skipToLineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);

  return end === -1 ? text.length : end;
}

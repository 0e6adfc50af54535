/**
 * Splits one CSV line into fields. Quoted fields may contain the delimiter and doubled quotes
 * (RFC 4180). A quoted field spanning several lines is not supported, because no market-data
 * file we read needs it.
 */
export function splitCsvLine(line: string, delimiter = ','): string[] {
  if (!line.includes('"')) {
    return line.split(delimiter);
  }

  const fields: string[] = [];
  let field = '';
  let quoted = false;

  for (let i = 0; i < line.length; i++) {
    const char = line[i];

    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }

  fields.push(field);
  return fields;
}

/** Splits file text into lines, accepting both LF and CRLF endings. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');

  for (let i = 0; i < lines.length; i++) {
    if (lines[i].endsWith('\r')) {
      lines[i] = lines[i].slice(0, -1);
    }
  }

  return lines;
}

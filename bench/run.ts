import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchRow } from './support/bench-row.js';

/**
 * Runs every `*.bench` file in this folder, or those whose names contain one of the words
 * given on the command line. With `--json`, the rows go to standard output as one JSON array
 * on the last line and every progress line goes to standard error.
 */
async function main(argv: readonly string[]): Promise<void> {
  const json = argv.includes('--json');
  const filters = argv.filter((arg) => !arg.startsWith('--'));
  const say = (line: string): void => {
    (json ? process.stderr : process.stdout).write(`${line}\n`);
  };

  const folder = dirname(fileURLToPath(import.meta.url));
  const files = (await readdir(folder))
    .filter((file) => /\.bench\.(ts|js)$/.test(file))
    .filter((file) => filters.length === 0 || filters.some((word) => file.includes(word)))
    .sort();

  const rows: BenchRow[] = [];

  for (const file of files) {
    const module = (await import(pathToFileURL(join(folder, file)).href)) as { default: BenchModule };
    say(`\n# ${module.default.title} (${file})`);

    const fileRows = await module.default.run(say);

    for (const row of fileRows) {
      say(formatRow(row));
    }

    rows.push(...fileRows);
  }

  if (json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
  }
}

function formatRow(row: BenchRow): string {
  const value = `${row.value.toLocaleString('en-US')} ${row.unit}`;
  const baseline = `${row.baseline.name} ${row.baseline.value.toLocaleString('en-US')} ${row.unit}`;

  return `${row.name}: ${value} | baseline ${baseline} | ratio ${row.ratio} (${row.better} is better)`;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

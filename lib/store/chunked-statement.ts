import type Database from 'better-sqlite3';

/**
 * Rows per statement, largest first: chunks of 128 rows, then the rest in powers of two.
 * So each shape prepares at most eight statements. The largest, 128 rows of 9 columns, binds
 * 1,152 values, far below SQLite's default limit of 32,766 host parameters.
 */
const CHUNK_SIZES = [128, 64, 32, 16, 8, 4, 2, 1];

/**
 * One SQL statement over many rows at once, such as a multi-row `INSERT ... VALUES` or an
 * `IN (...)` list. Sending up to 128 rows per call saves the fixed cost of one call into
 * SQLite per row, which was a large share of the writer's time.
 */
export class ChunkedStatement {
  private readonly statements = new Map<number, Database.Statement<unknown[]>>();

  /**
   * @param valuesPerRow host parameters each row binds
   * @param sqlFor the statement for a given number of rows
   */
  constructor(
    private readonly db: Database.Database,
    private readonly valuesPerRow: number,
    private readonly sqlFor: (rows: number) => string,
  ) {}

  /** Runs the statement over every row of `values`, given flat, `valuesPerRow` values per row; returns the rows changed. */
  run(values: readonly unknown[]): number {
    let changes = 0;

    this.eachChunk(values, (statement, chunk) => {
      changes += statement.run(...chunk).changes;
    });

    return changes;
  }

  /** Runs a query over every row of `values` and returns the first column of every result row. */
  pluck(values: readonly unknown[]): unknown[] {
    const found: unknown[] = [];

    this.eachChunk(values, (statement, chunk) => {
      for (const value of statement.pluck().all(...chunk)) {
        found.push(value);
      }
    });

    return found;
  }

  private eachChunk(values: readonly unknown[], use: (statement: Database.Statement<unknown[]>, chunk: unknown[]) => void): void {
    const rows = values.length / this.valuesPerRow;
    let done = 0;

    for (const size of CHUNK_SIZES) {
      while (rows - done >= size) {
        use(this.statement(size), values.slice(done * this.valuesPerRow, (done + size) * this.valuesPerRow));
        done += size;
      }
    }
  }

  private statement(rows: number): Database.Statement<unknown[]> {
    let statement = this.statements.get(rows);

    if (statement === undefined) {
      statement = this.db.prepare<unknown[]>(this.sqlFor(rows));
      this.statements.set(rows, statement);
    }

    return statement;
  }
}

/** Returns the placeholder list `(?, ?, ?)` for `count` values. */
export function placeholders(count: number): string {
  return `(${Array.from({ length: count }, () => '?').join(', ')})`;
}

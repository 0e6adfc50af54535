import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../../lib/paths.js';
import { withoutCoverage } from '../../support/child-env.js';

const run = promisify(execFile);
const SCRIPT = join(packageRoot(), 'spec', 'sources', 'csv', 'fixtures', 'parse-under-tz.ts');

async function parseUnder(tz: string): Promise<{ tz: string; offset: number; events: { time: number }[] }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT], { env: { ...withoutCoverage(process.env), TZ: tz }, maxBuffer: 64 * 1024 * 1024 });

  return JSON.parse(stdout) as { tz: string; offset: number; events: { time: number }[] };
}

describe('CSV dates under TZ', () => {
  it('gives identical events under three TZ settings', async () => {
    const results = await Promise.all(['UTC', 'America/Los_Angeles', 'Asia/Kolkata'].map(parseUnder));

    // The children really ran in different local zones.
    expect(new Set(results.map((result) => result.offset)).size).to.equal(3);
    expect(results[0].events[0].time).to.equal(946857600000);
    expect(JSON.stringify(results[1].events)).to.equal(JSON.stringify(results[0].events));
    expect(JSON.stringify(results[2].events)).to.equal(JSON.stringify(results[0].events));
  });
});

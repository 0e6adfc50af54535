import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultStageRegistry } from '../../lib/engine/stage-kinds.js';
import { packageRoot } from '../../lib/paths.js';
import { formatProblem, loadPipelineFile } from '../../lib/pipeline/index.js';

const FOLDER = join(packageRoot(), 'pipelines');

describe('shipped pipelines', () => {
  const files = readdirSync(FOLDER).filter((file) => file.endsWith('.yaml'));

  it('include the default pipeline', () => {
    expect(files).to.include('default.yaml');
  });

  for (const file of files) {
    it(`${file} validates`, async () => {
      const result = await loadPipelineFile(join(FOLDER, file), defaultStageRegistry());

      expect(result.ok, result.ok ? '' : result.problems.map(formatProblem).join('\n')).to.equal(true);
    });
  }
});

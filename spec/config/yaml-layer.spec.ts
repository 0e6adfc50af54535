import { expect } from 'chai';
import { EngineConfig } from '../../lib/config/index.js';
import { readYamlLayer } from '../../lib/config/yaml-layer.js';

describe('readYamlLayer', () => {
  it('rejects deep flow nesting with a position', () => {
    const text = `server: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;

    const result = readYamlLayer('deep.yaml', text, EngineConfig);

    expect(result.problems).to.have.length(1);
    expect(result.problems[0].source).to.equal('deep.yaml:1:41');
    expect(result.problems[0].message).to.contain('deeper than 32 levels');
  });

  it('reports a __proto__ key as unknown', () => {
    const result = readYamlLayer('proto.yaml', '__proto__: {polluted: 1}\n', EngineConfig);

    expect(result.problems).to.have.length(1);
    expect(result.problems[0].path).to.equal('__proto__');
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});

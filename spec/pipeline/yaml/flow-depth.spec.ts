import { expect } from 'chai';
import { findFlowDepthExcess } from '../../../lib/yaml/flow-depth.js';
import { readYamlTree } from '../../../lib/pipeline/yaml/yaml-tree.js';

describe('findFlowDepthExcess', () => {
  it('finds the first bracket past the limit', () => {
    expect(findFlowDepthExcess('a: [[[1]]]', 2)).to.deep.equal({ offset: 5, depth: 3 });
  });

  it('accepts nesting at the limit', () => {
    expect(findFlowDepthExcess('a: [[{b: 1}]]', 3)).to.equal(undefined);
  });

  it('ignores brackets in quotes and comments', () => {
    const text = `a: "[[[[" # [[[[\nb: '{{{{'\nc: "\\"[[[["\n`;

    expect(findFlowDepthExcess(text, 1)).to.equal(undefined);
  });

  it('counts closed collections down again', () => {
    expect(findFlowDepthExcess('a: [1]\nb: [2]\nc: [3]', 1)).to.equal(undefined);
  });
});

describe('readYamlTree limits', () => {
  it('rejects deep flow nesting with a position before parsing', () => {
    const tree = readYamlTree(`id: x\nstages: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);

    expect(tree.value).to.equal(undefined);
    expect(tree.problems).to.have.length(1);
    expect(tree.problems[0]).to.include({ line: 2, column: 73 });
    expect(tree.problems[0].message).to.contain('deeper than 64 levels');
    expect(tree.positionOf('stages')).to.deep.equal({ line: 2, column: 73 });
    expect(tree.plainTextOf('stages')).to.equal(undefined);
  });

  it('keeps a __proto__ key as an own key', () => {
    const tree = readYamlTree('__proto__: {polluted: 1}\nid: x\n');
    const value = tree.value as Record<string, unknown>;

    expect(Object.keys(value)).to.deep.equal(['__proto__', 'id']);
    expect(Object.getPrototypeOf(value)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});

import { expect } from 'chai';
import { codecAt } from '../../lib/config/codec-shape.js';
import { EngineConfig, ENV_SETTINGS, FLAG_SETTINGS, redactConfig, loadConfigOrThrow } from '../../lib/config/index.js';

describe('text settings', () => {
  it('every variable names a setting', () => {
    for (const setting of ENV_SETTINGS) {
      expect(codecAt(EngineConfig, setting.path), setting.variable).not.to.equal(undefined);
    }
  });

  it('every flag names a setting', () => {
    for (const setting of FLAG_SETTINGS) {
      expect(codecAt(EngineConfig, setting.path), setting.option).not.to.equal(undefined);
    }
  });

  it('unknown path has no codec', () => {
    expect(codecAt(EngineConfig, 'server.nothing')).to.equal(undefined);
  });
});

describe('redactConfig', () => {
  it('replaces keys by their count', () => {
    const { config } = loadConfigOrThrow({ env: { TICKFLOW_API_KEYS: 'k1,k2' } });
    const text = JSON.stringify(redactConfig(config));

    expect(text).not.to.contain('k1');
    expect(text).to.contain('(2 keys)');
  });
});

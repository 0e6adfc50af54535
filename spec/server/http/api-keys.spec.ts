import { expect } from 'chai';
import { ApiKeyCheck, apiKeysFromEnv } from '../../../lib/server/index.js';
import { bearerToken } from '../../../lib/server/auth/api-key-check.js';
import { request, startServer, type Harness } from '../support/server-harness.js';

describe('ApiKeyCheck', () => {
  it('accepts anything without keys', () => {
    expect(new ApiKeyCheck([]).accepts(undefined)).to.equal(true);
  });

  it('accepts only configured keys', () => {
    const check = new ApiKeyCheck(['alpha', 'beta']);

    expect(check.accepts('beta')).to.equal(true);
    expect(check.accepts('gamma')).to.equal(false);
    expect(check.accepts('bet')).to.equal(false);
    expect(check.accepts('')).to.equal(false);
    expect(check.accepts(undefined)).to.equal(false);
  });

  it('reads bearer tokens', () => {
    expect(bearerToken('Bearer abc')).to.equal('abc');
    expect(bearerToken('bearer  abc ')).to.equal('abc');
    expect(bearerToken('Basic abc')).to.equal(undefined);
    expect(bearerToken('Bearer a b')).to.equal(undefined);
  });

  it('reads keys from the environment', () => {
    expect(apiKeysFromEnv({ TICKFLOW_API_KEYS: ' a, ,b ' })).to.deep.equal(['a', 'b']);
    expect(apiKeysFromEnv({})).to.deep.equal([]);
  });
});

describe('REST API keys', () => {
  let harness: Harness;

  before(async () => {
    harness = await startServer({ apiKeys: ['s3cret'] });
  });

  after(() => harness.close());

  it('rejects a missing key with 401', async () => {
    const response = await request(harness.base, 'GET', '/api/positions');

    expect(response.status).to.equal(401);
    expect(response.body).to.deep.equal({ error: { code: 'unauthorized', message: 'a valid API key is required' } });
    expect(response.headers.get('www-authenticate')).to.equal('Bearer');
  });

  it('answers a wrong key exactly like a missing one', async () => {
    const missing = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });
    const wrong = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' }, { authorization: 'Bearer s3cre' });

    expect(wrong.status).to.equal(401);
    expect(wrong.body).to.deep.equal(missing.body);
  });

  it('accepts the key', async () => {
    const response = await request(harness.base, 'GET', '/api/positions', undefined, { authorization: 'Bearer s3cret' });

    expect(response.status).to.equal(200);
  });

  it('protects metrics but not health', async () => {
    const metrics = await request(harness.base, 'GET', '/metrics');
    const health = await request(harness.base, 'GET', '/health');

    expect(metrics.status).to.equal(401);
    expect(health.status).to.equal(200);
  });

  it('checks the key before reading a body', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', '{not json');

    expect(response.status).to.equal(401);
  });
});

describe('CORS', () => {
  it('sends no CORS headers unless origins are configured', async () => {
    const harness = await startServer();
    const response = await request(harness.base, 'GET', '/health', undefined, { origin: 'http://evil.example' });

    await harness.close();
    expect(response.headers.get('access-control-allow-origin')).to.equal(null);
  });

  it('allows only configured origins', async () => {
    const harness = await startServer({ corsOrigins: ['http://dash.example'] });
    const allowed = await request(harness.base, 'GET', '/health', undefined, { origin: 'http://dash.example' });
    const other = await request(harness.base, 'GET', '/health', undefined, { origin: 'http://evil.example' });

    await harness.close();
    expect(allowed.headers.get('access-control-allow-origin')).to.equal('http://dash.example');
    expect(other.headers.get('access-control-allow-origin')).to.equal(null);
  });
});

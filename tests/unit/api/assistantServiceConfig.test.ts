// The assistant service's settings from the environment: defaults, parsing and errors.
import { ConfigError } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';
import { assistantServiceConfigFromEnv } from '../../../services/src/assistant/assistantServiceConfig.js';

describe('assistantServiceConfigFromEnv', () => {
  it('has defaults for everything', () => {
    expect(assistantServiceConfigFromEnv({})).toEqual({
      LAKEHOUSE_DIR: './data',
      ASSISTANT_PORT: 8000,
      ASSISTANT_HOST: '127.0.0.1',
      CORS_ORIGINS: ['http://localhost:8888', 'http://127.0.0.1:8888'],
      RATE_LIMIT_PER_MIN: 600,
      TRUST_PROXY: 'loopback',
      BODY_LIMIT_BYTES: 1_048_576,
      PIPELINES_URL: 'http://127.0.0.1:8010',
      PIPELINES_TIMEOUT_MS: 2_000,
      DEFAULT_MAX_ROWS: 1_000,
      QUERY_TIMEOUT_MS: 30_000,
      KPI_POLL_MS: 1_000,
      KPI_CACHE_MS: 1_000,
      SSE_HEARTBEAT_MS: 15_000,
      SSE_MAX_STREAMS: 100,
      SHUTDOWN_GRACE_MS: 10_000,
    });
  });

  it('parses lists, numbers and the proxy setting; blank values count as unset', () => {
    const config = assistantServiceConfigFromEnv({
      ASSISTANT_PORT: '9000',
      API_TOKEN: 'long-enough-token',
      CORS_ORIGINS: ' http://a.example , *,',
      RATE_LIMIT_PER_MIN: '0',
      TRUST_PROXY: '2',
      PIPELINES_URL: ' ',
    });
    expect(config.ASSISTANT_PORT).toBe(9000);
    expect(config.API_TOKEN).toBe('long-enough-token');
    expect(config.CORS_ORIGINS).toEqual(['http://a.example', '*']);
    expect(config.RATE_LIMIT_PER_MIN).toBe(0);
    expect(config.TRUST_PROXY).toBe(2);
    expect(config.PIPELINES_URL).toBe('http://127.0.0.1:8010');
    expect(assistantServiceConfigFromEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
  });

  it.each([
    [{ ASSISTANT_PORT: '70000' }, 'invalid setting ASSISTANT_PORT: Too big: expected number to be <=65535'],
    [{ API_TOKEN: 'short' }, 'invalid setting API_TOKEN: must be at least 8 characters'],
    [{ PIPELINES_URL: 'not a url' }, 'invalid setting PIPELINES_URL: Invalid URL'],
    [{ SSE_MAX_STREAMS: '0' }, 'invalid setting SSE_MAX_STREAMS: Too small: expected number to be >=1'],
  ])('throws ConfigError naming the variable for %j', (env, message) => {
    expect(() => assistantServiceConfigFromEnv(env)).toThrow(ConfigError);
    expect(() => assistantServiceConfigFromEnv(env)).toThrow(message);
  });
});

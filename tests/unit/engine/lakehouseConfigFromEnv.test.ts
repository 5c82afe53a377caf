import { ConfigError, lakehouseConfigFromEnv } from '@rt-lakehouse/kernel-helpers';
import { describe, expect, it } from 'vitest';

describe('lakehouseConfigFromEnv', () => {
  it('defaults to ./data under the working directory', () => {
    expect(lakehouseConfigFromEnv({}, '/srv/app')).toEqual({ dir: '/srv/app/data' });
    expect(lakehouseConfigFromEnv({ LAKEHOUSE_DIR: '  ' }, '/srv/app')).toEqual({ dir: '/srv/app/data' });
  });

  it('resolves LAKEHOUSE_DIR, relative or absolute', () => {
    expect(lakehouseConfigFromEnv({ LAKEHOUSE_DIR: 'lake/' }, '/srv/app')).toEqual({ dir: '/srv/app/lake' });
    expect(lakehouseConfigFromEnv({ LAKEHOUSE_DIR: ' /var/lake ' }, '/srv/app')).toEqual({
      dir: '/var/lake',
    });
  });

  it('refuses an unusable path', () => {
    expect(() => lakehouseConfigFromEnv({ LAKEHOUSE_DIR: 'a\0b' })).toThrow(ConfigError);
  });
});

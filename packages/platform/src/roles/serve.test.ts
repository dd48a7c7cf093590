import { describe, expect, it } from 'vitest';
import { serve } from './serve.js';

describe('serve(role)', () => {
  it('refuses a role that does not exist, naming it and the roles', async () => {
    await expect(serve('scheduler')).rejects.toMatchObject({ code: 'ROLE_UNKNOWN', message: 'There is no role "scheduler": the roles are api, router, builder, runtime.' });
  });
});

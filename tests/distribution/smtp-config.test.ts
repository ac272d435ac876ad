/**
 * The config's `smtp` section: a valid one loads (STARTTLS-when-offered by
 * default), a password in the file is refused at its key with the reason.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../../pipeline/config/index.js';
import { temporaryFolder } from './helpers.js';

async function load(config: unknown) {
  const folder = await temporaryFolder('config');
  await writeFile(path.join(folder, 'memo.config.json'), JSON.stringify(config, null, 2));
  const loaded = await loadProjectConfig(folder);
  const messages = (loaded.file?.messages ?? []).map(
    (message) =>
      `${String(message.line)}:${String(message.column)} ${message.reason} [${message.ruleId ?? ''}]`,
  );
  return { config: loaded.config, messages };
}

describe('the smtp config', () => {
  it('loads host, port, from, user and passwordEnv; secure defaults to false', async () => {
    const { config, messages } = await load({
      smtp: {
        host: 'mail.example.org',
        port: 587,
        from: 'Policy Office <memos@example.org>',
        user: 'memos',
        passwordEnv: 'MEMO_SMTP_PASSWORD',
      },
    });
    expect(messages).toEqual([]);
    expect(config?.smtp).toEqual({
      host: 'mail.example.org',
      port: 587,
      secure: false,
      from: 'Policy Office <memos@example.org>',
      user: 'memos',
      passwordEnv: 'MEMO_SMTP_PASSWORD',
    });
  });

  it('refuses a password written in the config, at its key, and says where it goes instead', async () => {
    const { config, messages } = await load({
      smtp: {
        host: 'mail.example.org',
        port: 587,
        from: 'memos@example.org',
        user: 'memos',
        passwordEnv: 'MEMO_SMTP_PASSWORD',
        password: 'hunter2',
      },
    });
    expect(config).toBeUndefined();
    expect(messages).toEqual([
      '8:5 `smtp.password`: a password must not be written in the config, which everyone who has the memos can read: put it in an environment variable and name that variable in `passwordEnv` [config-invalid]',
    ]);
  });

  it('refuses a passwordEnv that is not a variable name, and a user without one', async () => {
    const bad = await load({
      smtp: { host: 'h', port: 25, from: 'a@b.example', user: 'u', passwordEnv: 'my password' },
    });
    expect(bad.messages).toEqual([
      '7:5 `smtp.passwordEnv`: must be the name of an environment variable, such as `MEMO_SMTP_PASSWORD` [config-invalid]',
    ]);
    const alone = await load({ smtp: { host: 'h', port: 25, from: 'a@b.example', user: 'u' } });
    expect(alone.messages).toEqual([
      '2:3 `smtp`: give both `user` and `passwordEnv` (a server that needs a login), or neither [config-invalid]',
    ]);
  });
});

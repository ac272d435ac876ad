/**
 * The mail server of `memo distribute --send`: nodemailer's SMTP transport
 * options from the config's `smtp` and the run's environment (the password,
 * never from the config), and plain sentences for what can go wrong.
 */
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import type { SmtpConfig } from '../../config/schema.js';
import { firstLine } from '../../util/errors.js';

/** Deadlines of one SMTP transaction: a server that stops answering fails the copy, never hangs the run. */
export const SMTP_TIMEOUTS = {
  connectionTimeout: 30_000,
  greetingTimeout: 30_000,
  socketTimeout: 60_000,
} as const;

export type TransportSettings =
  | { readonly ok: true; readonly options: SMTPTransportOptions }
  | { readonly ok: false; readonly reason: string };

/** The transport options, or why there are none (no `smtp` config, the password variable unset). */
export function transportSettings(
  smtp: SmtpConfig | undefined,
  env: NodeJS.ProcessEnv,
): TransportSettings {
  if (smtp === undefined) {
    return {
      ok: false,
      reason:
        'nothing can be e-mailed: the config has no `smtp` section; add one with the mail server’s `host`, `port` and `from` (see docs/delivery.md)',
    };
  }
  let auth: SMTPTransportOptions['auth'];
  if (smtp.user !== undefined && smtp.passwordEnv !== undefined) {
    const pass = env[smtp.passwordEnv];
    if (pass === undefined || pass === '') {
      return {
        ok: false,
        reason: `nothing was sent: the mail server’s password is read from the environment variable \`${smtp.passwordEnv}\` (\`smtp.passwordEnv\`), which is ${pass === undefined ? 'not set' : 'empty'}; set it in the shell that runs memo`,
      };
    }
    auth = { user: smtp.user, pass };
  }
  return {
    ok: true,
    options: {
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      // secure: false upgrades with STARTTLS whenever the server offers it (nodemailer's default).
      ...(auth === undefined ? {} : { auth }),
      ...SMTP_TIMEOUTS,
      // The server's certificate is checked against the system's authorities; never skipped.
      tls: { rejectUnauthorized: true },
      // Only the configured host: no proxy, no attachment fetched by path or URL.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
      debug: false,
    },
  };
}

/** What a failed send was, in the words of the log and the report. */
export interface SendFailure {
  readonly error: string;
  readonly response?: string;
}

function field(error: unknown, key: string): unknown {
  return error !== null && typeof error === 'object' ? Reflect.get(error, key) : undefined;
}

function textField(error: unknown, key: string): string | undefined {
  const value = field(error, key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A nodemailer error as a plain sentence (`to`: the recipient's address; `smtp`: for the host and user). */
export function describeSendFailure(error: unknown, to: string, smtp: SmtpConfig): SendFailure {
  const code = textField(error, 'code');
  const command = textField(error, 'command');
  const response = textField(error, 'response');
  const message = firstLine(error);
  const server = `${smtp.host}:${String(smtp.port)}`;
  const withResponse = (sentence: string): SendFailure =>
    response === undefined ? { error: sentence } : { error: `${sentence} (${response})`, response };
  if (code === 'EAUTH')
    return withResponse(
      `the mail server refused the login of \`${smtp.user ?? ''}\`: check \`smtp.user\` and the password in \`${smtp.passwordEnv ?? ''}\``,
    );
  if (code === 'ENOAUTH' || field(error, 'responseCode') === 530)
    return withResponse(
      'the mail server asks for a login: set `smtp.user` and `smtp.passwordEnv` in the config',
    );
  if (code === 'EENVELOPE' && command === 'RCPT TO')
    return withResponse(`the mail server refused the address ${to}`);
  if (code === 'EENVELOPE') return withResponse(`the mail server refused the sender ${smtp.from}`);
  if (code === 'EMESSAGE') return withResponse('the mail server refused the message');
  if (/ECONNREFUSED/u.test(message))
    return {
      error: `could not connect to the mail server ${server}: the connection was refused; check \`smtp.host\` and \`smtp.port\`, and that the server is running`,
    };
  if (/ENOTFOUND|EAI_AGAIN/u.test(message) || code === 'EDNS')
    return { error: `the mail server ${smtp.host} was not found; check \`smtp.host\`` };
  if (code === 'ETIMEDOUT' || /ETIMEDOUT|timeout/iu.test(message))
    return { error: `the mail server ${server} did not answer in time` };
  if (
    smtp.secure &&
    /wrong version number|WRONG_VERSION_NUMBER|packet length too long/iu.test(message)
  )
    return {
      error: `the mail server ${server} does not start with TLS: set \`smtp.secure\` to false (it then uses STARTTLS when the server offers it), or use the server's TLS port, usually 465`,
    };
  if (/certificate|self[- ]signed|CERT_|unable to verify/iu.test(message))
    return {
      error: `the mail server’s certificate is not trusted (${message}): nothing was sent over an unchecked connection; ask the server’s administrator, or see docs/delivery.md`,
    };
  if (code === 'ECONNECTION' || /ECONNRESET|EPIPE|closed/iu.test(message))
    return withResponse(
      `the connection to the mail server ${server} was dropped before it confirmed the message, which was probably not delivered`,
    );
  return withResponse(`the message could not be sent: ${message}`);
}

// `npm run token -- --user customer1 [--issuer URL] [--password P]`: prints an access token from the development
// provider of a running `npm start`. Development only: it refuses an AUTH_ISSUER that names another issuer, and any
// issuer that is not Tandem's development provider on this machine.
import { parseArgs } from 'node:util';
import { DEFAULT_DEV_ISSUER } from './dev-provider-contract';
import { accessTokenFor, LoginRefused, NotADevProvider } from './login';

/** Exit code for a refusal to run (a foreign issuer, not a development provider, bad arguments). */
export const EXIT_REFUSED = 2;

export interface TokenCliResult {
  code: number;
  stdout?: string;
  stderr?: string;
}

const USAGE =
  'usage: npm run token -- --user <customer1|customer2|staff1|admin1> [--issuer URL] [--password P]';

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

/** The command, given its arguments and environment; `main` below prints and exits. */
export async function runTokenCli(args: string[], env: NodeJS.ProcessEnv): Promise<TokenCliResult> {
  let values: { user?: string | undefined; issuer?: string | undefined; password?: string | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { user: { type: 'string' }, issuer: { type: 'string' }, password: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    return {
      code: EXIT_REFUSED,
      stderr: `${error instanceof Error ? error.message : String(error)}\n${USAGE}`,
    };
  }
  if (!values.user) return { code: EXIT_REFUSED, stderr: USAGE };
  const issuer = withoutSlash(values.issuer ?? DEFAULT_DEV_ISSUER);
  const configured = env['AUTH_ISSUER']?.trim();
  if (configured && withoutSlash(configured) !== issuer) {
    return {
      code: EXIT_REFUSED,
      stderr:
        `refusing: AUTH_ISSUER is ${configured}, not the development provider ${issuer}. ` +
        'npm run token is for the development stack only; get tokens for that issuer from the issuer itself.',
    };
  }
  try {
    return { code: 0, stdout: await accessTokenFor(issuer, values.user, values.password) };
  } catch (error) {
    if (error instanceof NotADevProvider) return { code: EXIT_REFUSED, stderr: `refusing: ${error.message}` };
    if (error instanceof LoginRefused) return { code: 1, stderr: error.message };
    const reason = error instanceof Error ? error.message : String(error);
    return {
      code: 1,
      stderr: `no token from ${issuer}: ${reason}. Is the development stack running (npm start)?`,
    };
  }
}

if (require.main === module) {
  void runTokenCli(process.argv.slice(2), process.env).then(({ code, stdout, stderr }) => {
    if (stdout) process.stdout.write(`${stdout}\n`);
    if (stderr) process.stderr.write(`${stderr}\n`);
    process.exitCode = code;
  });
}

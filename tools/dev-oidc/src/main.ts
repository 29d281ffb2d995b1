// The development OpenID Provider on its own, for docker/compose.yaml (`npm start` runs it in-process instead):
//   node -r @swc-node/register tools/dev-oidc/src/main.ts
// DEV_OIDC_PORT (3004), DEV_OIDC_HOST (127.0.0.1), DEV_OIDC_ISSUER (http://127.0.0.1:<port>). Never for production:
// its demo users have published passwords.
import { startDevOidcProvider } from './dev-oidc-provider';

async function main(): Promise<void> {
  const port = Number(process.env['DEV_OIDC_PORT'] ?? '3004');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `dev-oidc: DEV_OIDC_PORT must be a port number, not "${process.env['DEV_OIDC_PORT']}"\n`,
    );
    process.exit(78);
  }
  if (process.env['NODE_ENV'] === 'production') {
    process.stderr.write(
      'dev-oidc: refusing to run with NODE_ENV=production (its demo passwords are public)\n',
    );
    process.exit(78);
  }
  const provider = await startDevOidcProvider({
    port,
    ...(process.env['DEV_OIDC_HOST'] ? { host: process.env['DEV_OIDC_HOST'] } : {}),
    ...(process.env['DEV_OIDC_ISSUER'] ? { issuerUrl: process.env['DEV_OIDC_ISSUER'] } : {}),
  });
  const stop = () => void provider.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `dev-oidc failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

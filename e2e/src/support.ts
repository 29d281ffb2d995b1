import { existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export function builtApp(app: string): string {
  const script = path.join(ROOT, 'dist/apps', app, 'main.js');
  if (!existsSync(script)) {
    throw new Error(`${script} is missing: run \`npm run build\` before the e2e tests (npm test does)`);
  }
  return script;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function call(
  method: string,
  url: string,
  options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  const response = await fetch(url, {
    method,
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}

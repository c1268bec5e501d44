/**
 * Builds the staff console: bundles console/src/main.ts with esbuild (ESM, minified, one file) into console/dist/
 * and copies index.html and styles.css, plus a config.json (local default: dev identities, same-origin API).
 *
 *   npx tsx console/build.ts            → console/dist/ (served at /console/ by `npm start`)
 *   buildConsole({ outDir, config })    → from code (tests, local/start.ts); well under a second
 *
 * In AWS the province stack deploys the same files with its own config.json:
 *   { "auth": "cognito", "apiBase": "https://…/prod", "cognito": { "region", "userPoolId", "clientId" } }
 */
import { build } from 'esbuild';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const consoleRoot = path.dirname(fileURLToPath(import.meta.url));
const srcDir = path.join(consoleRoot, 'src');
export const DEFAULT_CONSOLE_DIST = path.join(consoleRoot, 'dist');

export interface ConsoleRuntimeConfig {
  auth: 'dev' | 'cognito';
  apiBase: string;
  cognito?: { region: string; userPoolId: string; clientId: string };
}

export interface BuildConsoleOptions {
  outDir?: string;
  config?: ConsoleRuntimeConfig;
  /** Default true. */
  minify?: boolean;
}

/** Builds the console and returns the directory to serve. */
export async function buildConsole(options: BuildConsoleOptions = {}): Promise<string> {
  const outDir = path.resolve(options.outDir ?? DEFAULT_CONSOLE_DIST);
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(srcDir, 'main.ts')],
    outfile: path.join(outDir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'safari16', 'firefox115'],
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  await Promise.all([
    copyFile(path.join(srcDir, 'index.html'), path.join(outDir, 'index.html')),
    copyFile(path.join(srcDir, 'styles.css'), path.join(outDir, 'styles.css')),
    writeFile(path.join(outDir, 'config.json'), `${JSON.stringify(options.config ?? { auth: 'dev', apiBase: '' }, null, 2)}\n`),
  ]);
  return outDir;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = Date.now();
  const dir = await buildConsole();
  process.stdout.write(`Staff console built in ${Date.now() - started} ms → ${dir}\n`);
}

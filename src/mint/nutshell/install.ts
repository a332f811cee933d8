import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The one line that installs nutshell (skip reasons and exit-2 messages say it). */
export const NUTSHELL_INSTALL_LINE = 'npm run setup:nutshell';
/** The version src/mint/nutshell/setup.sh pins. */
export const NUTSHELL_VERSION = '0.21.0';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The project-local virtual environment (MELTCHECK_NUTSHELL_VENV overrides it). */
export function nutshellVenv(): string {
  return process.env.MELTCHECK_NUTSHELL_VENV ?? join(ROOT, '.venv-nutshell');
}

/** Why nutshell cannot run here, or undefined when its `mint` entry point is installed. */
export function nutshellMissing(): string | undefined {
  const venv = nutshellVenv();
  if (existsSync(join(venv, 'bin', 'mint')) && existsSync(join(venv, 'bin', 'python'))) return undefined;
  return `nutshell is not installed in ${venv}: run \`${NUTSHELL_INSTALL_LINE}\` (Python >= 3.10)`;
}

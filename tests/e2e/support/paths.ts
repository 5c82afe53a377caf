// Where things are for the end-to-end tests.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const VENV_DIR = process.env['VENV_DIR'] ?? join(REPO_ROOT, '.venv');
export const SCREENSHOTS_DIR = join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

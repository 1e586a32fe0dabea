/**
 * Headless Chromium (Debian's `chromium` package) through playwright-core, with one set of flags:
 * the PDF export, the browser tests and the inbox benchmark all launch it here.
 * EARSHOT_CHROMIUM overrides the executable.
 */
import type { Browser } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const chromiumPath = () => process.env.EARSHOT_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(executablePath = chromiumPath()): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/**
 * PNG output: the SVG chart rendered by `@resvg/resvg-js` (an optional dependency), loaded only
 * when a PNG is asked for.
 */
import { createRequire } from 'node:module';
import { CliError } from './config-file';

interface RenderedImage {
  asPng(): Uint8Array;
  readonly width: number;
  readonly height: number;
}

interface ResvgModule {
  Resvg: new (svg: string, options?: Record<string, unknown>) => { render(): RenderedImage };
}

/** Loads the renderer; a missing package is a one-line `CliError`. */
export function loadResvg(moduleName = '@resvg/resvg-js'): ResvgModule {
  try {
    // resvg-js is a CommonJS native addon, loaded synchronously from where this package is installed.
    return createRequire(import.meta.url)(moduleName) as ResvgModule;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new CliError(`PNG output needs the optional package ${moduleName}, which is not installed (npm install ${moduleName}); SVG, CSV and JSON work without it`);
    }
    throw new CliError(`PNG output: ${moduleName} could not be loaded: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Renders an SVG document to PNG bytes at its own size, on its white background. */
export function svgToPng(svg: string, moduleName?: string): Uint8Array {
  const { Resvg } = loadResvg(moduleName);
  const image = new Resvg(svg, {
    fitTo: { mode: 'original' },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return image.asPng();
}

/** The HTML renderer's options for a run, from the session's (shared by build and session). */
import type { ProjectConfig } from './config/index.js';
import type { HtmlRendererOptions } from './render/html.js';

export interface RendererInputs {
  readonly templatesDir?: string;
  readonly stylesDir?: string;
  readonly templateOverridesDir?: string;
  readonly config?: ProjectConfig;
}

export function rendererOptions(options: RendererInputs): HtmlRendererOptions {
  const overridesDir = options.templateOverridesDir ?? options.config?.templatesDir;
  return {
    ...(options.templatesDir === undefined ? {} : { templatesDir: options.templatesDir }),
    ...(options.stylesDir === undefined ? {} : { stylesDir: options.stylesDir }),
    ...(overridesDir === undefined ? {} : { overridesDir }),
  };
}

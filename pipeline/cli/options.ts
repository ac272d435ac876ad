/** Options several commands share, declared once so their wording and defaults stay the same. */
import { Option } from 'commander';

export function configOption(): Option {
  return new Option(
    '-c, --config <file>',
    'project config (default: memo.config.json, .ts or .js in the working directory)',
  );
}

export function templatesOption(): Option {
  return new Option(
    '--templates <dir>',
    'folder of templates, partials and CSS overriding the built-in ones',
  );
}

export function reporterOption(): Option {
  return new Option('--reporter <name>', 'problem report format')
    .choices(['compact', 'stylish'])
    .default('compact');
}

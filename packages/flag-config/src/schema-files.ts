import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { flagJsonSchema, orgJsonSchema } from './schema';

/** Where the generated JSON Schemas live (committed, so editors find them without a build). */
export const SCHEMA_DIR = path.join(__dirname, '..', 'schema');

/** The command that regenerates them. */
export const REGENERATE_SCHEMAS = 'npx tsx packages/flag-config/src/schema-files.ts';

/** File name → content of every generated schema. */
export function renderSchemaFiles(): Record<string, string> {
  return {
    'flag.schema.json': `${JSON.stringify(flagJsonSchema(), null, 2)}\n`,
    'org.schema.json': `${JSON.stringify(orgJsonSchema(), null, 2)}\n`,
  };
}

export function writeSchemaFiles(dir: string = SCHEMA_DIR): string[] {
  return Object.entries(renderSchemaFiles()).map(([name, content]) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  });
}

if (require.main === module) {
  for (const file of writeSchemaFiles()) console.log(`✓ wrote ${path.relative(process.cwd(), file)}`);
}

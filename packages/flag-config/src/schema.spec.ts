import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REGENERATE_SCHEMAS, SCHEMA_DIR, renderSchemaFiles } from './schema-files';

describe('the committed JSON Schemas', () => {
  it.each(Object.entries(renderSchemaFiles()))('%s equals the one generated from the zod schema', (name, generated) => {
    const committed = readFileSync(path.join(SCHEMA_DIR, name), 'utf8');
    if (committed !== generated) {
      throw new Error(
        `packages/flag-config/schema/${name} is out of date with src/schema.ts. Regenerate it: ${REGENERATE_SCHEMAS}`,
      );
    }
    expect(committed).toBe(generated);
  });

  it('documents every field of flag.yaml for editors', () => {
    const schema = JSON.parse(renderSchemaFiles()['flag.schema.json'] ?? '{}') as Record<string, unknown>;
    const undocumented: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (node === null || typeof node !== 'object') return;
      const properties = (node as { properties?: Record<string, unknown> }).properties ?? {};
      for (const [key, child] of Object.entries(properties)) {
        if (!(child as { description?: string }).description) undocumented.push(`${at}${key}`);
        visit(child, `${at}${key}.`);
        visit((child as { items?: unknown }).items, `${at}${key}[].`);
      }
    };
    visit(schema, '');
    expect(undocumented).toEqual([]);
  });

  it('refuses unknown keys in editors too', () => {
    const schema = JSON.parse(renderSchemaFiles()['flag.schema.json'] ?? '{}') as { additionalProperties?: boolean };
    expect(schema.additionalProperties).toBe(false);
  });
});

import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';

/**
 * A tool's `input_schema`, made from the zod schema that validates its input.
 * The API wants one object at the top, so a discriminated union (the
 * editor's commands) is flattened into one object: the discriminator becomes
 * an enum, fields every command has stay required, the rest are optional.
 * Bytes the model does not need (the meta-schema URL, zod's safe-integer
 * bounds) are dropped: the schema travels with every request.
 */
export function inputSchema(schema: z.ZodType): Anthropic.Messages.Tool.InputSchema {
  const shown = schema instanceof z.ZodDiscriminatedUnion ? flatten(schema) : schema;
  const json = withoutNoise(z.toJSONSchema(shown, { io: 'input' })) as Record<string, unknown>;
  delete json.$schema;
  return { ...json, type: 'object' } as Anthropic.Messages.Tool.InputSchema;
}

function flatten(union: z.ZodDiscriminatedUnion): z.ZodObject {
  const key = union._zod.def.discriminator;
  const objects = union.options.filter((option): option is z.ZodObject => option instanceof z.ZodObject);
  const values = objects.flatMap((object) => [...(object.shape[key]?._zod.values ?? [])].map(String));
  const shape: Record<string, z.ZodType> = { [key]: z.enum(values as [string, ...string[]]) };
  for (const object of objects) {
    for (const [name, field] of Object.entries(object.shape)) {
      if (name === key || name in shape) continue;
      const everywhere = objects.every((other) => name in other.shape);
      shape[name] = everywhere ? field : field.optional();
    }
  }
  return z.object(shape);
}

/** Removes `minimum`/`maximum` that only restate JavaScript's safe-integer range. */
function withoutNoise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNoise);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value)) {
    if ((name === 'minimum' || name === 'maximum') && Math.abs(Number(inner)) === Number.MAX_SAFE_INTEGER) continue;
    out[name] = withoutNoise(inner);
  }
  return out;
}

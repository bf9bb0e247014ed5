/**
 * How the attributes of a source file map onto the asset model. Stored with the dataset so a
 * newer file of the same layer is imported the same way (and updates by source id).
 */
import { z } from 'zod';
import { SYSTEM_CODES } from './systems.ts';

/** A target column takes a source field, or one constant for every feature, or nothing. */
export const FieldRef = z.union([
  z.object({ field: z.string().min(1) }).strict(),
  z.object({ value: z.union([z.string(), z.number()]) }).strict(),
  z.null(),
]);
export type FieldRef = z.infer<typeof FieldRef>;

export const SystemRef = z.union([
  /** one system for the whole layer */
  z.object({ value: z.enum(SYSTEM_CODES) }).strict(),
  /** per feature: a field whose values map to systems; unmapped values fall back to `fallback` */
  z.object({ field: z.string().min(1), map: z.record(z.string(), z.enum(SYSTEM_CODES)), fallback: z.enum(SYSTEM_CODES) }).strict(),
]);
export type SystemRef = z.infer<typeof SystemRef>;

export const MAPPING_TARGETS = [
  'sourceId',
  'assetClass',
  'owner',
  'material',
  'diameterMm',
  'inServiceYear',
  'status',
  'condition',
  'replacementYear',
  'label',
] as const;
export type MappingTarget = (typeof MAPPING_TARGETS)[number];

export const AssetMapping = z
  .object({
    system: SystemRef,
    sourceId: FieldRef,
    assetClass: FieldRef,
    owner: FieldRef,
    material: FieldRef,
    diameterMm: FieldRef,
    inServiceYear: FieldRef,
    status: FieldRef,
    condition: FieldRef,
    replacementYear: FieldRef,
    label: FieldRef,
  })
  .strict();
export type AssetMapping = z.infer<typeof AssetMapping>;

export const InvalidPolicy = z.enum(['skip', 'repair']);
export type InvalidPolicy = z.infer<typeof InvalidPolicy>;

export const LoadRequest = z
  .object({
    mapping: AssetMapping,
    /** name of the layer (dataset); a re-import under the same name and owner updates it */
    layerName: z.string().trim().min(1).max(200),
    invalid: InvalidPolicy,
    /** owning organisation id; omitted = taken from the data where the mapping says so */
    ownerId: z.number().int().positive().optional(),
  })
  .strict();
export type LoadRequest = z.infer<typeof LoadRequest>;

export const EMPTY_MAPPING: AssetMapping = {
  system: { value: 'overig' },
  sourceId: null,
  assetClass: null,
  owner: null,
  material: null,
  diameterMm: null,
  inServiceYear: null,
  status: null,
  condition: null,
  replacementYear: null,
  label: null,
};

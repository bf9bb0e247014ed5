/** How the layer panel groups the vital systems. Pure. */
import { SYSTEM_CODES, type SystemCode } from '@model/systems.ts';
import type { LayerInfo } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/index.ts';

export interface LayerGroupDef {
  key: string;
  labelKey: MessageKey;
  systems: readonly SystemCode[];
}

/** Panel order. */
export const LAYER_GROUPS: readonly LayerGroupDef[] = [
  { key: 'riolering', labelKey: 'groupRiolering', systems: ['riool_vrijverval', 'riool_pers'] },
  { key: 'water', labelKey: 'groupWater', systems: ['drinkwater'] },
  { key: 'elektriciteit', labelKey: 'groupElektriciteit', systems: ['elektriciteit_ls', 'elektriciteit_ms', 'elektriciteit_hs'] },
  { key: 'gas', labelKey: 'groupGas', systems: ['gas_ld', 'gas_hd'] },
  { key: 'warmte', labelKey: 'groupWarmte', systems: ['warmte'] },
  { key: 'telecom', labelKey: 'groupTelecom', systems: ['telecom'] },
  { key: 'verlichting', labelKey: 'groupVerlichting', systems: ['verlichting'] },
  { key: 'groen', labelKey: 'groupGroen', systems: ['groen'] },
  { key: 'mobiliteit', labelKey: 'groupMobiliteit', systems: ['mobiliteit'] },
  { key: 'overig', labelKey: 'groupOverig', systems: ['overig'] },
];

export interface LayerGroup {
  key: string;
  labelKey: MessageKey;
  layers: LayerInfo[];
}

const taxonomyIndex = (code: SystemCode): number => SYSTEM_CODES.indexOf(code);

/** Groups that have at least one layer, in panel order; layers in taxonomy order. */
export function groupLayers(layers: readonly LayerInfo[]): LayerGroup[] {
  return LAYER_GROUPS.map((group) => ({
    key: group.key,
    labelKey: group.labelKey,
    layers: layers.filter((l) => group.systems.includes(l.id)).sort((a, b) => taxonomyIndex(a.id) - taxonomyIndex(b.id)),
  })).filter((group) => group.layers.length > 0);
}

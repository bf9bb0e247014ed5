/** MapLibre's own control labels (tooltips, aria-labels) in the UI language. */
import type { Language } from '../i18n/index.ts';

const NL: Record<string, string> = {
  'NavigationControl.ZoomIn': 'Inzoomen',
  'NavigationControl.ZoomOut': 'Uitzoomen',
  'NavigationControl.ResetBearing': 'Noorden boven',
  'AttributionControl.ToggleAttribution': 'Bronvermelding tonen of verbergen',
  'AttributionControl.MapFeedback': 'Feedback op de kaart',
  'Map.Title': 'Kaart',
  'ScaleControl.Meters': 'm',
  'ScaleControl.Kilometers': 'km',
};

export function mapLocale(language: Language): Record<string, string> {
  return language === 'nl' ? NL : {};
}

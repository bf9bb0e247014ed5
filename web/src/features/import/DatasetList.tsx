/**
 * "Geïmporteerde lagen" in the layer panel: every imported dataset with its size and owner, and
 * plain download links for the exports (GeoJSON, GeoPackage, CSV).
 */
import { EXPORT_FORMATS, type ApiClient, type ExportFormat } from '../../api/client.ts';
import type { DatasetInfo } from '../../api/types.ts';
import { useI18n } from '../../i18n/context.ts';
import { formatNumber } from '../../i18n/index.ts';
import type { DatasetsState } from './use-datasets.ts';

const FORMAT_LABELS: Readonly<Record<ExportFormat, string>> = { geojson: 'GeoJSON', gpkg: 'GeoPackage', csv: 'CSV' };

function DatasetRow({ dataset, exportUrl }: { dataset: DatasetInfo; exportUrl: ApiClient['datasetExportUrl'] }) {
  const { language, t } = useI18n();
  return (
    <li className="dataset-row" data-testid={`dataset-${dataset.id}`}>
      <span className="dataset-name" title={dataset.sourceRef || dataset.name}>
        {dataset.name}
      </span>
      <span className="dataset-meta">
        {t('datasetCount', { count: formatNumber(language, dataset.featureCount) })} · {dataset.owner?.name ?? t('datasetOwnerNone')}
      </span>
      {dataset.exportable === false ? (
        <span className="dataset-meta" data-testid={`dataset-${dataset.id}-no-export`}>{t('datasetNoExport')}</span>
      ) : (
      <span className="dataset-exports">
        <span className="visually-hidden">{t('datasetExportLabel')}</span>
        {EXPORT_FORMATS.map((format) => (
          <a
            key={format}
            href={exportUrl(dataset.id, format)}
            download
            data-testid={`dataset-${dataset.id}-export-${format}`}
            aria-label={t('datasetExportAs', { name: dataset.name, format: FORMAT_LABELS[format] })}
          >
            {FORMAT_LABELS[format]}
          </a>
        ))}
      </span>
      )}
    </li>
  );
}

export function DatasetList({ state, exportUrl }: { state: DatasetsState; exportUrl: ApiClient['datasetExportUrl'] }) {
  const { t } = useI18n();
  return (
    <section className="dataset-list" data-testid="dataset-list" aria-labelledby="dataset-list-title">
      <h2 id="dataset-list-title">{t('datasetsTitle')}</h2>
      {state.status === 'loading' && <p className="muted">{t('datasetsLoading')}</p>}
      {state.status === 'error' && <p className="muted">{t('datasetsUnavailable')}</p>}
      {state.status === 'ready' && state.datasets.length === 0 && <p className="muted">{t('datasetsEmpty')}</p>}
      {state.status === 'ready' && state.datasets.length > 0 && (
        <ul>
          {state.datasets.map((d) => (
            <DatasetRow key={d.id} dataset={d} exportUrl={exportUrl} />
          ))}
        </ul>
      )}
    </section>
  );
}

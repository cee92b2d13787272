import { useEffect, useState } from 'react';
import type { Backend, DatasetInfo, RejectRow } from '../../../shared/contract.ts';
import { call } from '../api/backend.ts';
import { DatasetsTable } from './DatasetsTable.tsx';
import { ImportForm } from './ImportForm.tsx';
import { LayersSection } from './LayersSection.tsx';
import { Breakable } from './Breakable.tsx';

interface Props {
  backend: Backend;
  datasets: DatasetInfo[];
  current: string | null;
  onSelect(name: string): void;
  onImported(name: string): Promise<void>;
  /** The dataset list changed (renamed, deleted, re-zoned): reload it and show `select`. */
  onDatasetsChanged(select: string | null): Promise<void>;
  /** Bumped whenever a dataset's map layers change, so the map redraws them. */
  layersVersion: number;
  onLayersChanged(): void;
}

/** Import (with a preview), the reject report, the dataset list, and the current dataset's map layers. */
export function DataPanel({
  backend,
  datasets,
  current,
  onSelect,
  onImported,
  onDatasetsChanged,
  layersVersion,
  onLayersChanged,
}: Props) {
  const [rejects, setRejects] = useState<{
    dataset: string;
    total: number;
    byReason: Record<string, number>;
    rows: RejectRow[];
  } | null>(null);

  const loadRejects = async (dataset: string) => {
    const r = await call(backend, 'datasets.rejects', { dataset, limit: 50, offset: 0 });
    setRejects({ dataset, ...r });
  };

  useEffect(() => {
    if (current) loadRejects(current).catch(() => setRejects(null));
    else setRejects(null);
    // Reload only when the selected dataset changes.
  }, [current]);

  return (
    <div data-testid="panel-data">
      <ImportForm
        backend={backend}
        onImported={async (r) => {
          await onImported(r.dataset);
          await loadRejects(r.dataset);
        }}
      />
      {rejects && (
        <div className="rejects" data-testid="rejects">
          <h3>
            Rejects of {rejects.dataset}: {rejects.total}
          </h3>
          {rejects.total > 0 && (
            <p className="muted" data-testid="reject-reasons">
              {Object.entries(rejects.byReason)
                .map(([reason, n]) => `${reason}: ${n}`)
                .join(' · ')}
            </p>
          )}
          {rejects.rows.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>line</th>
                  <th>reason</th>
                  <th>raw</th>
                </tr>
              </thead>
              <tbody>
                {rejects.rows.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td className="wrap">
                      <Breakable text={r.reason} />
                    </td>
                    <td className="raw">{r.raw}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <DatasetsTable
        backend={backend}
        datasets={datasets}
        current={current}
        onSelect={onSelect}
        onChanged={onDatasetsChanged}
      />
      <LayersSection
        backend={backend}
        dataset={current}
        version={layersVersion}
        onChanged={onLayersChanged}
      />
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { Backend } from '../../../shared/contract.ts';
import { LAYER_KINDS, LAYER_LABELS, type CityLayerInfo, type LayerKind } from '../../../shared/layers.ts';
import { call } from '../api/backend.ts';
import { fileRef } from '../api/files.ts';
import { Breakable } from './Breakable.tsx';

interface Props {
  backend: Backend;
  dataset: string | null;
  /** Bumped by the app whenever a dataset's layers change, and told here when they do. */
  version: number;
  onChanged(): void;
}

/** The current dataset's map layers: what the map draws from, and the agency's own layers to import. */
export function LayersSection({ backend, dataset, version, onChanged }: Props) {
  const [info, setInfo] = useState<CityLayerInfo | null>(null);
  const [kind, setKind] = useState<LayerKind>('boundary');
  const [file, setFile] = useState<File | null>(null);
  const [nameField, setNameField] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  useEffect(() => {
    if (!dataset) return setInfo(null);
    let stale = false;
    call(backend, 'layers.info', { dataset })
      .then((i) => !stale && setInfo(i))
      .catch((e: unknown) => !stale && setMessage({ error: true, text: (e as Error).message }));
    return () => {
      stale = true;
    };
  }, [backend, dataset, version]);

  if (!dataset) return null;

  const importLayer = async () => {
    if (!file) return;
    setBusy(true);
    setMessage(null);
    try {
      const r = await call(backend, 'layers.import', {
        dataset,
        kind,
        ...(await fileRef(backend, file)),
        ...(nameField.trim() ? { nameField: nameField.trim() } : {}),
      });
      setMessage({
        error: false,
        text: `${LAYER_LABELS[r.kind]}: ${r.features} features from ${file.name}${r.nameField ? `, named by '${r.nameField}'` : ''} (properties: ${r.properties.join(', ') || 'none'}).`,
      });
      setFile(null);
      setNameField('');
      onChanged();
    } catch (e) {
      setMessage({ error: true, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (k: LayerKind) => {
    await call(backend, 'layers.delete', { dataset, kind: k });
    onChanged();
  };

  return (
    <div className="layers" data-testid="layers">
      <h2>Map layers of {dataset}</h2>
      <p className="muted" data-testid="layers-source">
        {info?.source === 'imported' &&
          'The map, the briefing and its place names draw from the layers imported below.'}
        {info?.source === 'builtin' &&
          'The built-in Washington DC layers (this dataset lies in DC). Importing a layer replaces them.'}
        {info?.source === 'none' &&
          'No map layers for this city yet: the map shows a plain grid. Import the agency’s boundary, districts or beats, roads and water (GeoJSON or a zipped Shapefile).'}
      </p>
      {info && info.layers.length > 0 && (
        <table data-testid="layers-table">
          <thead>
            <tr>
              <th>layer</th>
              <th>features</th>
              <th>named by</th>
              <th>from</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {info.layers.map((l) => (
              <tr key={l.kind}>
                <td>{l.label}</td>
                <td>{l.features}</td>
                <td className="wrap">{l.nameField ?? '—'}</td>
                <td className="wrap">
                  <Breakable text={l.source} />
                </td>
                <td>
                  {info.source === 'imported' && (
                    <button
                      type="button"
                      onClick={() => void remove(l.kind)}
                      data-testid={`layer-delete-${l.kind}`}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="form">
        <label>
          Layer{' '}
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as LayerKind)}
            data-testid="layer-kind"
          >
            {LAYER_KINDS.map((k) => (
              <option key={k} value={k}>
                {LAYER_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="filebutton">
          {file ? file.name : 'choose GeoJSON or zipped Shapefile…'}
          <input
            type="file"
            accept=".geojson,.json,.zip"
            data-testid="layer-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </label>
        <label>
          Name field{' '}
          <input
            value={nameField}
            placeholder="auto"
            onChange={(e) => setNameField(e.target.value)}
            data-testid="layer-name-field"
          />
        </label>
        <button type="button" disabled={!file || busy} onClick={importLayer} data-testid="layer-import">
          Import layer
        </button>
      </div>
      {message && (
        <p
          className={message.error ? 'error' : 'report'}
          role={message.error ? 'alert' : 'status'}
          data-testid="layer-message"
        >
          {message.text}
        </p>
      )}
    </div>
  );
}

import { useEffect, useRef, useState } from 'react';
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

// pdf.js parses in its own worker, a file of the app (the CSP's worker-src 'self').
GlobalWorkerOptions.workerSrc = workerUrl;

interface Props {
  /** The PDF file's bytes. */
  bytes: Uint8Array;
  /** The same bytes' blob: URL, which the export downloads (recorded on the element for tests). */
  url: string;
}

/**
 * The briefing's pages drawn by pdf.js onto canvases, one a page, as wide as the panel. The app draws
 * them itself instead of framing the PDF: Electron shows a PDF in a frame only with plugins enabled,
 * which the window keeps off, and not at all from a custom scheme such as the app's.
 */
export function PdfPreview({ bytes, url }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ pages: number } | { error: string } | null>(null);

  useEffect(() => {
    const box = host.current;
    if (!box) return;
    let cancelled = false;
    setState(null);
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const task = getDocument({ data: bytes.slice(), isEvalSupported: false, useSystemFonts: true });
    void (async () => {
      const doc = await task.promise;
      // A newer briefing may have replaced this one while it loaded: draw nothing of the old one.
      if (cancelled) return;
      box.replaceChildren();
      const width = Math.max(200, box.clientWidth);
      const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
      for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n);
        if (cancelled) return;
        const unit = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: (width / unit.width) * dpr });
        const canvas = document.createElement('canvas');
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.style.width = '100%';
        canvas.style.display = 'block';
        canvas.style.marginBottom = '6px';
        canvas.setAttribute('aria-label', `page ${n} of ${doc.numPages}`);
        canvas.dataset.page = String(n);
        box.appendChild(canvas);
        await page.render({ canvas, viewport }).promise;
        if (cancelled) return;
      }
      setState({ pages: doc.numPages });
    })().catch((e: unknown) => {
      if (!cancelled) setState({ error: (e as Error).message });
    });
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [bytes]);

  return (
    <div>
      <div
        ref={host}
        role="img"
        aria-label="Briefing PDF preview"
        data-testid="briefing-pages"
        data-pdf-url={url}
        data-pages={state && 'pages' in state ? state.pages : 0}
        style={{ maxHeight: 460, overflowY: 'auto', border: '1px solid #ccd', background: '#888' }}
      />
      {state && 'error' in state && (
        <p className="error" role="alert">
          The preview could not be drawn ({state.error}); Export PDF… still saves the file.
        </p>
      )}
    </div>
  );
}

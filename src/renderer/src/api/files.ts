import type { Backend } from '../../../shared/contract.ts';

/** A file as the backend takes it: an upload id over the web host (streamed once), else its bytes. */
export interface FileRef {
  fileName: string;
  upload?: string;
  contentBase64?: string;
}

function readBase64(file: Blob, name: string): Promise<string> {
  return new Promise((ok, fail) => {
    const r = new FileReader();
    r.onload = () => ok(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => fail(new Error(`cannot read ${name}`));
    r.readAsDataURL(file);
  });
}

export async function fileRef(backend: Backend, file: File): Promise<FileRef> {
  return backend.upload
    ? { fileName: file.name, upload: await backend.upload(file, file.name) }
    : { fileName: file.name, contentBase64: await readBase64(file, file.name) };
}

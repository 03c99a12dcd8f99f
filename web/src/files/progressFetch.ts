// A `fetch` for one urql operation that reports how much of the request body has been sent: fetch() cannot say
// (no upload progress in browsers yet), XMLHttpRequest can. urql still builds the request (the GraphQL multipart
// body for Files in the variables, the headers from the client's fetchOptions); this only carries it:
//   client.mutation(Doc, { files }, { fetch: fetchWithUploadProgress(onProgress, cancel.signal) })
// Aborting (urql's own signal, or `cancel`) rejects with an AbortError, as fetch does.

export interface UploadProgress {
  loaded: number;
  total: number;
}

function responseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const at = line.indexOf(":");
    if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  return headers;
}

export function fetchWithUploadProgress(
  onProgress: (progress: UploadProgress) => void,
  cancel?: AbortSignal,
): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      const xhr = new XMLHttpRequest();
      xhr.open(init.method ?? "GET", url);
      new Headers(init.headers).forEach((value, name) => xhr.setRequestHeader(name, value));
      xhr.responseType = "text";
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
      };
      xhr.onload = () =>
        resolve(
          new Response(xhr.status === 204 ? null : xhr.responseText, {
            status: xhr.status,
            statusText: xhr.statusText,
            headers: responseHeaders(xhr.getAllResponseHeaders()),
          }),
        );
      xhr.onerror = () => reject(new TypeError("Failed to fetch"));
      xhr.onabort = () => reject(new DOMException("The request was aborted.", "AbortError"));
      for (const signal of [init.signal, cancel]) {
        if (!signal) continue;
        if (signal.aborted) {
          reject(new DOMException("The request was aborted.", "AbortError"));
          return;
        }
        signal.addEventListener("abort", () => xhr.abort(), { once: true });
      }
      xhr.send((init.body ?? null) as XMLHttpRequestBodyInit | null);
    });
}

// The SHA-256 of a file, hex, computed in the browser (crypto.subtle): requestFileUpload binds the upload to it
// and finishFileUpload checks the bytes that arrived against it.
export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new Uint8Array(await blob.arrayBuffer()));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

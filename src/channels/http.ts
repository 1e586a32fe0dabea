/**
 * HTTP helpers shared by the fetch-based adapters: JSON bodies read with a size limit (declared
 * Content-Length and the bytes actually streamed), so a hostile or broken server cannot exhaust memory.
 */
import { ChannelError } from './types.ts';

export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Reads a JSON body of at most `maxBytes`; empty → undefined; errors name the platform (`what`). */
export async function readJsonLimited(
  res: Response,
  what: string,
  maxBytes = MAX_RESPONSE_BYTES,
): Promise<unknown> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new ChannelError(
      'response_too_large',
      `${what} response of ${declared} bytes is over ${maxBytes}`,
      res.status,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes)
        throw new ChannelError('response_too_large', `${what} response over ${maxBytes} bytes`, res.status);
      chunks.push(chunk);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ChannelError(
      'malformed_response',
      `${what} sent a body that is not JSON (HTTP ${res.status})`,
      res.status,
    );
  }
}

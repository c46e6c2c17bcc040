// A request body sent as a stream of small pieces (997 bytes, so a piece
// ends anywhere in a record or a character), as a client streaming a big
// file sends it: what the streamed batch endpoints must read in any cut.
export function streamedBody(body: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(body);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 997));
      offset += 997;
    },
  });
}

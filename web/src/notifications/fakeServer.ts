// For the notifications' client tests (liveCount.test.ts, liveInbox.test.ts): a server behind the app's real client
// set-up that answers each read with its state when the read was made, and may hold a read's answer until released —
// so that a read made before a notification commits can be answered after the notification's event has arrived.
import type { Sink } from "graphql-ws";

interface Read {
  operation: string;
  release: () => void;
}

/** `answer(operation)` is the server's state for a read, taken when the read is made. */
export function fakeServer(answer: (operation: string) => Record<string, unknown>) {
  const reads: Read[] = [];
  const sinks: Sink[] = [];
  const answered: string[] = [];
  let holds: (operation: string) => boolean = () => false;

  const fetch = (async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { operationName?: string };
    const operation = body.operationName ?? "";
    // Read now (the state at the read), answered when released.
    const data = answer(operation);
    let release = () => undefined as void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    reads.push({ operation, release });
    if (!holds(operation)) release();
    await released;
    answered.push(`${operation}=${JSON.stringify(data)}`);
    return new Response(JSON.stringify({ data }), { headers: { "content-type": "application/json" } });
  }) as typeof globalThis.fetch;

  const socket = () => ({
    subscribe(_payload: unknown, sink: Sink) {
      sinks.push(sink);
      return () => undefined;
    },
    dispose: () => undefined,
  });

  return {
    fetch,
    socket,
    reads,
    /** Each answer sent, in order: `operation=data`. */
    answered,
    /** From now on, the answers of the reads `holding` picks wait until released. */
    hold: (holding: (operation: string) => boolean) => {
      holds = holding;
    },
    /** Nothing held any more; every read made so far answered. */
    releaseAll: () => {
      holds = () => false;
      for (const read of reads) read.release();
    },
    watching: () => sinks.forEach((sink) => sink.next({ data: { notificationAdded: { __typename: "Watching", since: 0 } } })),
    /** The subscription's event for a notification that has committed. */
    send: (notification: Record<string, unknown>) => {
      for (const sink of sinks) sink.next({ data: { notificationAdded: { __typename: "NotificationAdded", notification } } });
    },
    /** How many reads of `operation` were made (answered or not). */
    made: (operation: string) => reads.filter((read) => read.operation === operation).length,
  };
}

// An HTTP server of a test fake listening on 127.0.0.1 on a free port: its URL, and a close that
// drops open keep-alive connections (the SDK clients keep them) so a test run ends at once.
import * as http from "http";
import { AddressInfo } from "net";

export interface Loopback {
  readonly url: string;
  close(): Promise<void>;
}

export async function listenOnLoopback(server: http.Server): Promise<Loopback> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

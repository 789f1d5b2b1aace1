/** A server the app or `serve` runs: the TCP endpoint for SDKs or the app channel for the command line. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>` for TCP; the socket path for the app channel. */
  address: string;
  port: number | undefined;
  close(): Promise<void>;
}
